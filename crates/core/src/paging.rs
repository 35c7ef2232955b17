//! A long table shown a page at a time (the cleanup plan may hold 100,000 rows: a page in the document is
//! what a person reads, and what the browser can lay out at once).

use crate::text::grouped;

/// Rows shown at once.
pub const PAGE_ROWS: usize = 100;

/// Which rows of a table of `total` are shown: `[start, end)`, page `number` (from 0) of `pages`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TablePage {
    pub start: usize,
    pub end: usize,
    pub total: usize,
    pub number: usize,
    pub pages: usize,
}

impl TablePage {
    /// Page `number` of `total` rows, `size` a page (at least 1). A number past the end shows the last
    /// page (the table shrank while a later page was shown: a filter changed, rows were unticked).
    pub fn of(total: usize, number: usize, size: usize) -> TablePage {
        let size = size.max(1);
        let pages = total.div_ceil(size).max(1);
        let number = number.min(pages - 1);
        let start = (number * size).min(total);
        TablePage {
            start,
            end: (start + size).min(total),
            total,
            number,
            pages,
        }
    }

    pub fn has_previous(&self) -> bool {
        self.number > 0
    }

    pub fn has_next(&self) -> bool {
        self.number + 1 < self.pages
    }

    /// "Rows 101–200 of 17,139" (empty for an empty table; "All 12 rows" when one page holds them).
    pub fn sentence(&self) -> String {
        match self.total {
            0 => String::new(),
            1 => "1 row".to_owned(),
            n if self.pages == 1 => format!("All {} rows", grouped(n)),
            n => format!(
                "Rows {}–{} of {}",
                grouped(self.start + 1),
                grouped(self.end),
                grouped(n)
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_page_says_which_rows_it_shows() {
        let page = TablePage::of(17_139, 1, 100);
        assert_eq!((page.start, page.end, page.pages), (100, 200, 172));
        assert_eq!(page.sentence(), "Rows 101–200 of 17,139");
        assert!(page.has_previous() && page.has_next());
        let last = TablePage::of(17_139, 171, 100);
        assert_eq!((last.start, last.end), (17_100, 17_139));
        assert!(!last.has_next());
        assert_eq!(TablePage::of(12, 0, 100).sentence(), "All 12 rows");
        assert_eq!(TablePage::of(1, 0, 100).sentence(), "1 row");
        assert_eq!(TablePage::of(0, 3, 100).sentence(), "");
    }

    #[test]
    fn a_page_past_the_end_of_a_shrunk_table_is_its_last() {
        let page = TablePage::of(250, 9, 100);
        assert_eq!((page.number, page.start, page.end), (2, 200, 250));
    }

    proptest! {
        /// Walking the pages from the first shows every row exactly once, in order.
        #[test]
        fn the_pages_cover_every_row_once(total in 0usize..5_000, size in 1usize..300) {
            let mut next = 0;
            let first = TablePage::of(total, 0, size);
            for number in 0..first.pages {
                let page = TablePage::of(total, number, size);
                prop_assert_eq!(page.number, number);
                prop_assert_eq!(page.start, next);
                prop_assert!(page.end - page.start <= size);
                prop_assert!(page.end > page.start || total == 0);
                prop_assert_eq!(page.has_next(), number + 1 < first.pages);
                next = page.end;
            }
            prop_assert_eq!(next, total);
        }

        /// Whatever page is asked for, the rows shown exist.
        #[test]
        fn any_page_number_shows_rows_that_exist(total in 0usize..5_000, number in 0usize..10_000, size in 0usize..300) {
            let page = TablePage::of(total, number, size);
            prop_assert!(page.start <= page.end && page.end <= total);
            prop_assert!(page.number < page.pages);
        }
    }
}
