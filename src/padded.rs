//! [`Padded`]: a value alone on its cache lines.
//!
//! The two tokio workers serve requests at once, and a value one of them writes (a lock's
//! state, a counter) evicts from the other core's cache everything sharing its 64-byte line.
//! Values written on every request are padded so that they share a line with nothing else.

use std::ops::Deref;

/// `T` aligned (and so sized) to 128 bytes: its own cache line, and the neighbour that x86
/// prefetches with it.
#[derive(Debug, Default)]
#[repr(align(128))]
pub struct Padded<T>(pub T);

impl<T> Deref for Padded<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_padded_value_fills_its_lines() {
        assert_eq!(std::mem::align_of::<Padded<u8>>(), 128);
        let pair = [Padded(1u64), Padded(2u64)];
        let (a, b) = (&pair[0] as *const _ as usize, &pair[1] as *const _ as usize);
        assert_eq!(b - a, 128, "neighbours never share a line");
        assert_eq!(*pair[1], 2);
    }
}
