//! Bulk work split over the machine's cores: the fixture loader parses and builds its sites
//! and builds each site's search index this way (BENCHMARKS.md, "Fixture load"). Small inputs
//! (a write, the default world) stay on the calling thread: starting threads would cost more
//! than it saves.

use std::num::NonZeroUsize;
use std::thread;

/// Below this many items, [`map_chunks`] stays on the calling thread.
const MIN_ITEMS: usize = 512;
/// At most this many threads, whatever the machine.
const MAX_THREADS: usize = 8;

fn cores() -> usize {
    thread::available_parallelism()
        .map_or(1, NonZeroUsize::get)
        .clamp(1, MAX_THREADS)
}

/// `run` of every job, each job on a thread of its own; the results in the jobs' order. A
/// panic in a job is raised again here.
fn on_threads<J: Send, R: Send>(jobs: Vec<J>, run: impl Fn(J) -> R + Sync) -> Vec<R> {
    let run = &run;
    thread::scope(|scope| {
        let running: Vec<_> = jobs
            .into_iter()
            .map(|job| scope.spawn(move || run(job)))
            .collect();
        running
            .into_iter()
            .map(|handle| {
                handle
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
}

/// `f` of every item, in order: on the calling thread unless the caller says the whole is
/// `worth_threads` (each item a large piece of work, such as a site of a large fixture).
/// Threads cost more than starting them: each one that allocates leaves the allocator an
/// arena of its own, which the default world would pay in idle memory.
pub fn map<T: Send, R: Send>(
    items: Vec<T>,
    worth_threads: bool,
    f: impl Fn(T) -> R + Sync,
) -> Vec<R> {
    let threads = if worth_threads {
        cores().min(items.len())
    } else {
        1
    };
    if threads <= 1 {
        return items.into_iter().map(f).collect();
    }
    // Round-robin, so that each thread gets large and small items alike when sizes vary
    // along the list; the results are put back in order.
    let mut shares: Vec<Vec<(usize, T)>> = (0..threads).map(|_| Vec::new()).collect();
    for (i, item) in items.into_iter().enumerate() {
        shares[i % threads].push((i, item));
    }
    let done = on_threads(shares, |share| {
        share
            .into_iter()
            .map(|(i, item)| (i, f(item)))
            .collect::<Vec<_>>()
    });
    let mut done: Vec<(usize, R)> = done.into_iter().flatten().collect();
    done.sort_unstable_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
}

/// `f` of consecutive chunks of `items`, in order: as many chunks as threads.
pub fn map_chunks<T: Sync, R: Send>(items: &[T], f: impl Fn(&[T]) -> R + Sync) -> Vec<R> {
    if items.len() < MIN_ITEMS || cores() == 1 {
        return vec![f(items)];
    }
    let size = items.len().div_ceil(cores());
    on_threads(items.chunks(size).collect(), f)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_come_back_in_order_and_cover_every_item() {
        let items: Vec<u32> = (0..5000).collect();
        let sums = map_chunks(&items, |chunk| chunk.to_vec());
        assert_eq!(sums.concat(), items);
        let few = map_chunks(&items[..3], |chunk| chunk.len());
        assert_eq!(few, [3], "a small input is one chunk");
    }

    #[test]
    fn owned_items_come_back_in_order() {
        let items: Vec<String> = (0..7).map(|i| i.to_string()).collect();
        let lengths = map(items.clone(), true, |s| format!("<{s}>"));
        let expected: Vec<String> = items.iter().map(|s| format!("<{s}>")).collect();
        assert_eq!(lengths, expected);
        assert_eq!(map(Vec::<u8>::new(), true, |x| x), Vec::<u8>::new());
        let here = std::thread::current().id();
        let ids = map(vec![1, 2, 3], false, |_| std::thread::current().id());
        assert!(
            ids.iter().all(|id| *id == here),
            "not worth threads: the calling thread"
        );
    }
}
