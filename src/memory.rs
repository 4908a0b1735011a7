//! Returning a large call's garbage to the system.
//!
//! glibc keeps freed pages resident: 1 s after a usersync call of 32 MiB the process held
//! 32–46 MiB without a trim, 15–17 MiB with one. `malloc_trim` hands them back once such a
//! call ends (`api::v2::usersync`; BENCHMARKS.md has the figures). Start-up no longer calls
//! it: since the OpenAPI document is generated on demand (`crate::routes`), start-up frees
//! too little for a trim to show (idle RSS 10.5–10.6 MiB with and without, in turns).

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
