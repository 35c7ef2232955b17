//! GraphQL batching: every id asked exactly once, in order, never more than GitHub's 100 in one query.

use deploydeck_core::graphql::{batches, NODES_PER_QUERY};
use proptest::prelude::*;

proptest! {
    #[test]
    fn batches_ask_every_id_once_in_order_within_the_limit(ids in proptest::collection::vec(0u16..400, 0..700)) {
        let ids: Vec<String> = ids.iter().map(|n| format!("DE_{n}")).collect();
        let asked: Vec<String> = batches(&ids).concat();
        let mut first_seen = Vec::new();
        for id in &ids {
            if !first_seen.contains(id) {
                first_seen.push(id.clone());
            }
        }
        prop_assert_eq!(&asked, &first_seen, "each id once, in the order first given");
        for batch in batches(&ids) {
            prop_assert!(!batch.is_empty() && batch.len() <= NODES_PER_QUERY);
        }
        prop_assert_eq!(batches(&ids).len(), first_seen.len().div_ceil(NODES_PER_QUERY));
    }
}
