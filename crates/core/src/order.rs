//! One stable sort for the whole client: [`sort_by`].
//!
//! `slice::sort_by` is generic over the element and the comparison, so each call site with its own closure
//! compiled its own copy of Rust's stable sort (driftsort: quicksort, merges, small sorts — about 4 KB of
//! WebAssembly each, and the Cleanup screen alone fetched 15 KB of them; issue 30). Here the sort runs once,
//! on indices, with the comparison behind a `dyn`: every caller shares that one copy, and only a few lines that
//! put the elements in their new order are compiled per element type. The order is the same as `sort_by`'s,
//! equal elements included; the cost is one indirect call per comparison and a vector of indices (the elements
//! are put in order in place, by swaps).

use std::cmp::Ordering;

/// Sorts `items` by `compare`, stably: what `items.sort_by(compare)` does.
pub fn sort_by<T>(items: &mut [T], compare: impl Fn(&T, &T) -> Ordering) {
    if items.len() < 2 {
        return;
    }
    let order = sorted_indices(items.len(), &|a, b| compare(&items[a], &items[b]));
    permute(items, order);
}

/// Sorts `items` by the key `key` gives, stably: what `items.sort_by_key(key)` does.
pub fn sort_by_key<T, K: Ord>(items: &mut [T], key: impl Fn(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)))
}

/// Sorts `items` in their own order, stably: what `items.sort()` does (and `sort_unstable`, for elements whose
/// equal values cannot be told apart).
pub fn sort<T: Ord>(items: &mut [T]) {
    sort_by(items, T::cmp)
}

/// `0..len` in the order `compare` gives the elements at those positions (stable). Not generic: the one copy
/// of the sort.
fn sorted_indices(len: usize, compare: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    order.sort_by(|&a, &b| compare(a, b));
    order
}

/// Puts `items` in `order` (`order[i]`: the position of the element that goes to `i`), in place: each cycle of
/// the permutation by swaps, so no second copy of a long list is ever held.
fn permute<T>(items: &mut [T], mut order: Vec<usize>) {
    for start in 0..order.len() {
        let mut at = start;
        loop {
            let from = order[at];
            // Placed: a cycle of one, or the end of one already walked.
            order[at] = at;
            if from == start || from == at {
                break;
            }
            items.swap(at, from);
            at = from;
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        /// The same order as the standard library's stable sort, equal keys in their first order.
        #[test]
        fn it_sorts_as_the_standard_stable_sort(items in proptest::collection::vec((0u8..6, any::<u16>()), 0..200)) {
            let mut ours = items.clone();
            sort_by_key(&mut ours, |&(key, _)| key);
            let mut std = items.clone();
            std.sort_by_key(|&(key, _)| key);
            prop_assert_eq!(&ours, &std);
            let mut reversed = items.clone();
            sort_by(&mut reversed, |a, b| b.0.cmp(&a.0));
            let mut std = items;
            std.sort_by_key(|b| std::cmp::Reverse(b.0));
            prop_assert_eq!(reversed, std);
        }

        /// `sort` puts elements in their own order, as the standard library's `sort` does.
        #[test]
        fn it_sorts_in_the_elements_own_order(items in proptest::collection::vec(any::<(u8, i16)>(), 0..200)) {
            let mut ours = items.clone();
            sort(&mut ours);
            let mut std = items;
            std.sort();
            prop_assert_eq!(ours, std);
        }
    }

    #[test]
    fn it_keeps_every_element_it_does_not_copy() {
        let mut names = vec![
            "b".to_owned(),
            "a".to_owned(),
            "c".to_owned(),
            "a".to_owned(),
        ];
        sort_by(&mut names, |a, b| a.cmp(b));
        assert_eq!(names, ["a", "a", "b", "c"]);
        let mut empty: Vec<String> = Vec::new();
        sort_by_key(&mut empty, |s| s.len());
        assert!(empty.is_empty());
    }
}
