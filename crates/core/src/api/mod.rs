//! Talking to GitHub, sans-IO: plain HTTP values (`http`); typed operations → requests (`request`, GraphQL's
//! in `graphql`); answers → typed values or an `ApiError` (`response`; read back from storage through `records`); the `Link` header and paging that ends (`links`);
//! a long list through its pages (`listing`); conditional GETs (`cache`); pacing to GitHub's limits (`budget`) and the transport's last line
//! of defence (`floodgate`); GitHub's compare of two commits (`compare`); what a read costs before it is made (`cost`); deleting one deployment as GitHub
//! allows (`deletion`); a request as a curl or gh command (`share`). A feature's own requests are `impl Client`
//! blocks in the feature (review, fleet), so nothing here names a feature.

pub mod budget;
pub mod cache;
pub mod compare;
pub mod cost;
pub mod deletion;
pub mod floodgate;
pub mod graphql;
/// Plain HTTP values, from the wire crate the fake shares.
pub use deploydeck_wire::http;
pub mod links;
pub mod listing;
pub(crate) mod records;
pub mod request;
pub mod response;
pub mod share;
