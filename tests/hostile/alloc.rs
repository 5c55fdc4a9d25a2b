//! The largest single allocation this thread makes while running a closure: a global
//! allocator that notes, per thread, the biggest block asked for, for the checks that a
//! huge announced length is refused before anything that size is allocated.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

thread_local! {
    /// The biggest block this thread allocated since the last `largest_allocation`.
    static PEAK: Cell<usize> = const { Cell::new(0) };
}

/// The system allocator, with every size noted in `PEAK`.
pub struct PeakAlloc;

fn note(size: usize) {
    // (try_with: nothing to note while the thread's locals are being torn down)
    let _ = PEAK.try_with(|p| p.set(p.get().max(size)));
}

// SAFETY: every call is passed to the system allocator unchanged; `note` allocates nothing.
unsafe impl GlobalAlloc for PeakAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note(layout.size());
        System.alloc(layout)
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        note(layout.size());
        System.alloc_zeroed(layout)
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        note(new_size);
        System.realloc(ptr, layout, new_size)
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout)
    }
}

/// Runs `f` and returns its result with the size of the largest block it allocated.
pub fn largest_allocation<T>(f: impl FnOnce() -> T) -> (T, usize) {
    PEAK.with(|p| p.set(0));
    let r = f();
    (r, PEAK.with(|p| p.get()))
}

/// The measure sees a big block and forgets it at the next call.
#[test]
fn largest_allocation_sees_a_big_block() {
    let (v, largest) = largest_allocation(|| vec![7u8; 1 << 20]);
    assert!(largest >= 1 << 20, "{largest}");
    drop(v);
    let ((), largest) = largest_allocation(|| ());
    assert!(largest < 1 << 20, "{largest}");
}
