//! Code loaded on demand: the mechanism. A function declared with [`on_demand!`] runs its body from its own
//! WebAssembly module in the shipped build (`split` feature: `wasm-split-cli` cuts the module at each
//! `wasm_split` point, see `scripts/build-app.sh`), fetched the first time it is called; other builds (the
//! browser tests, `make serve`) call it directly. Which views load this way is decided in one place only,
//! `views/loader.rs`.

/// A module could not be fetched (offline, or the site was redeployed since this page loaded).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("its module could not be fetched")]
pub struct ModuleLoadError;

#[cfg(feature = "split")]
impl From<leptos::wasm_split::SplitLoaderError> for ModuleLoadError {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        ModuleLoadError
    }
}

/// `pub async fn $name(args) -> Result<$out, ModuleLoadError>` running `$body` from module `$module`: a
/// `wasm_split` point in the shipped build, a plain call elsewhere. `preload $preload` also defines
/// `$preload()`, which starts fetching the module and ignores a failure (the call itself reports it).
macro_rules! on_demand {
    (
        $(#[$doc:meta])*
        pub async fn $name:ident($($arg:ident: $ty:ty),*) -> $out:ty;
        in $module:ident as $split:ident $(, preload $preload:ident via $preload_module:ident)?
        $body:block
    ) => {
        #[cfg_attr(
            feature = "split",
            leptos::wasm_split::wasm_split(
                $module,
                wasm_split_path = ::leptos::wasm_split,
                $(preload(#[doc(hidden)] $preload_module),)?
                fallible
            )
        )]
        fn $split($($arg: $ty),*) -> Result<$out, $crate::on_demand::ModuleLoadError> {
            Ok($body)
        }

        $(#[$doc])*
        pub async fn $name($($arg: $ty),*) -> Result<$out, $crate::on_demand::ModuleLoadError> {
            #[cfg(feature = "split")]
            {
                $split($($arg),*).await
            }
            #[cfg(not(feature = "split"))]
            {
                $split($($arg),*)
            }
        }

        $(
            pub fn $preload() {
                #[cfg(feature = "split")]
                leptos::task::spawn_local(async {
                    let _ = $preload_module().await;
                });
            }
        )?
    };
}

pub(crate) use on_demand;
