//! Returning start-up garbage to the system.
//!
//! Building the router allocates and frees a few MiB: every route's OpenAPI path, under three
//! URL shapes, and the document's post-processing. Only about 1 MiB stays live (measured with
//! `valgrind --tool=massif`), but glibc keeps the freed pages resident, which doubled the idle
//! RSS. `malloc_trim` hands them back (BENCHMARKS.md has the figures).

/// Releases free heap pages to the operating system (glibc only; a no-op elsewhere).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[allow(unsafe_code)]
pub fn return_freed_memory() {
    // SAFETY: `malloc_trim` only releases memory that the allocator holds free; it takes no
    // pointer and has no precondition.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Releases free heap pages to the operating system (glibc only; a no-op elsewhere).
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn return_freed_memory() {}
