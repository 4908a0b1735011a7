//! Lists: the validated `page` / `pageSize` / `sort` / `order` of a list route, sorting with
//! keys computed once, and the page window. One helper for every list route (contract §3).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// `SortOrder`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub enum SortOrder {
    Asc,
    Desc,
}

impl SortOrder {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw.to_ascii_lowercase().as_str() {
            "asc" => Some(SortOrder::Asc),
            "desc" => Some(SortOrder::Desc),
            _ => None,
        }
    }

    /// Applies the order to an ascending comparison.
    pub fn apply(self, ord: std::cmp::Ordering) -> std::cmp::Ordering {
        match self {
            SortOrder::Asc => ord,
            SortOrder::Desc => ord.reverse(),
        }
    }
}

/// A sort enum of a list route: its values, its default and the default order of each value.
pub trait SortParam: Copy + Sized + 'static {
    const ALL: &'static [Self];
    /// The sort used when the query has none (mock choice, echoed in the response).
    const DEFAULT: Self;
    fn name(self) -> &'static str;
    /// Mock choice: numbers and dates sort descending by default, names and ids ascending.
    fn default_order(self) -> SortOrder;
}

/// `page`, `pageSize`, `sort`, `order` of a list route, validated.
#[derive(Debug, Clone, Copy)]
pub struct ListParams<S> {
    pub page: u32,
    pub page_size: u32,
    pub sort: S,
    pub order: SortOrder,
}

pub const PAGE_SIZES: [u32; 4] = [15, 30, 50, 100];
/// Mock choice: the excerpt states no default.
pub const DEFAULT_PAGE_SIZE: u32 = 30;

impl<S> ListParams<S> {
    /// The index range of the requested page within `total` items (empty past the end).
    pub fn window(&self, total: usize) -> std::ops::Range<usize> {
        let start = ((self.page as usize - 1).saturating_mul(self.page_size as usize)).min(total);
        start..(start + self.page_size as usize).min(total)
    }

    /// Sorts `items` by `key` in the requested order, ties by id ascending. Each key is
    /// computed once per item: a name sort of 100k users lowercases 100k names, not the
    /// millions a comparator would.
    pub fn sort<'a, T>(
        &self,
        items: impl IntoIterator<Item = &'a T>,
        key: impl Fn(&T) -> SortKey,
        id: impl Fn(&T) -> u32,
    ) -> Vec<&'a T> {
        let mut keyed: Vec<(SortKey, u32, &'a T)> =
            items.into_iter().map(|t| (key(t), id(t), t)).collect();
        keyed.sort_unstable_by(|a, b| self.order.apply(a.0.cmp(&b.0)).then(a.1.cmp(&b.1)));
        keyed.into_iter().map(|(_, _, t)| t).collect()
    }

    /// `totalPages`: 0 for an empty list (mock choice).
    pub fn total_pages(&self, total: usize) -> u32 {
        total.div_ceil(self.page_size as usize) as u32
    }
}

/// What a list sorts by: numbers, case-insensitive text, or dates.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum SortKey {
    Number(i64),
    Text(String),
    Date(DateTime<Utc>),
}

impl SortKey {
    /// Text compared without regard to case.
    pub fn text(s: &str) -> Self {
        SortKey::Text(s.to_lowercase())
    }
}

/// Whether `date` lies between `from` and `to`, both inclusive, compared at the whole second
/// the wire shows (a date rendered `…:05Z` passes `to=…:05Z` whatever its fraction).
pub fn within(date: DateTime<Utc>, from: Option<DateTime<Utc>>, to: Option<DateTime<Utc>>) -> bool {
    use chrono::SubsecRound;
    let date = date.trunc_subsecs(0);
    from.is_none_or(|f| date >= f) && to.is_none_or(|t| date <= t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_past_the_end_are_empty() {
        let p = ListParams {
            page: 3,
            page_size: 15,
            sort: (),
            order: SortOrder::Asc,
        };
        assert_eq!(p.window(40), 30..40);
        assert_eq!(p.window(20), 20..20);
        assert_eq!(p.total_pages(0), 0);
        assert_eq!(p.total_pages(31), 3);
        let far = ListParams {
            page: i32::MAX as u32,
            page_size: 100,
            sort: (),
            order: SortOrder::Asc,
        };
        assert!(far.window(10).is_empty());
    }
}
