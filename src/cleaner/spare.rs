//! The buffer pool: the allocations a round leaves to the next one, and a document to the next
//! one on its thread ([`Spare`]).

use super::{Judged, Made, Origin, Quiet, Round};
use crate::model::features::Memo;
use crate::normalize::Change;
use crate::ruleset::LineMatch;

thread_local! {
    /// The buffers the last document cleaned on this thread left (see [`Spare`]).
    pub(super) static SPARE: std::cell::Cell<Spare> = std::cell::Cell::new(Spare::default());
}

/// The most bytes a buffer may hold and still be kept for the next document: small documents
/// reuse each other's, and a large one does not pin its memory once it is done.
pub(super) const SPARE_BYTES: usize = 1 << 20;

/// The allocations a round leaves to the next one, and a document to the next one on its
/// thread. Every round fills vectors as long as the document: on a large one, fresh vectors are
/// fresh memory, which the kernel faults in a page at a time (a third of the time on a 200 MB
/// document), and on small ones, a dozen allocations a round. Every vector is empty between
/// uses.
#[derive(Default)]
pub(super) struct Spare {
    /// The buffer of the text two rounds back: the next round's output.
    pub(super) text: String,
    /// The lines that normalization changed, and where (see [`normalize::normalize_changes`]).
    pub(super) changed: String,
    pub(super) changes: Vec<Change>,
    /// Where the first round's lines end, and its text, where it is not the input's.
    pub(super) lines: Vec<u32>,
    pub(super) trimmed: String,
    pub(super) made: Made,
    pub(super) origin: Origin,
    pub(super) ends: Vec<u32>,
    pub(super) quiet: Vec<Quiet>,
    pub(super) found: Vec<LineMatch>,
    /// The line model's judgement of the next round's lines, where the foresight made it.
    pub(super) judged: Option<Judged>,
    /// What the line model's last scan of the document found of each line, for the next.
    pub(super) memo: Memo,
}

impl Spare {
    /// Keep the buffers of a round whose output is not used.
    pub(super) fn keep(&mut self, round: Round) {
        if round.cleaned.text.capacity() > self.text.capacity() {
            self.text = round.cleaned.text;
        }
        self.keep_vectors(round.origin, Vec::new(), round.quiet);
    }

    /// Keep vectors that are done with, where they are larger than the ones kept.
    pub(super) fn keep_vectors(&mut self, mut origin: Origin, ends: Vec<u32>, quiet: Vec<Quiet>) {
        fn keep<T>(slot: &mut Vec<T>, mut v: Vec<T>) {
            if v.capacity() > slot.capacity() {
                v.clear();
                *slot = v;
            }
        }
        if origin.capacity_bytes() > self.origin.capacity_bytes() {
            origin.clear();
            self.origin = origin;
        }
        keep(&mut self.ends, ends);
        keep(&mut self.quiet, quiet);
    }

    /// Drop the buffers larger than `bytes`.
    pub(super) fn trim(&mut self, bytes: usize) {
        fn trim<T>(v: &mut Vec<T>, bytes: usize) {
            if v.capacity() * std::mem::size_of::<T>() > bytes {
                *v = Vec::new();
            }
        }
        if self.text.capacity() > bytes {
            self.text = String::new();
        }
        if self.changed.capacity() > bytes {
            self.changed = String::new();
        }
        if self.trimmed.capacity() > bytes {
            self.trimmed = String::new();
        }
        if self.made.capacity_bytes() > bytes {
            self.made = Made::default();
        }
        trim(&mut self.changes, bytes);
        trim(&mut self.lines, bytes);
        if self.origin.capacity_bytes() > bytes {
            self.origin = Origin::default();
        }
        trim(&mut self.ends, bytes);
        trim(&mut self.quiet, bytes);
        trim(&mut self.found, bytes);
    }

    /// Drop the memo if larger than `bytes`: once a document is done (a document's later rounds
    /// read what its first left there).
    pub(super) fn trim_memo(&mut self, bytes: usize) {
        if self.memo.capacity_bytes() > bytes {
            self.memo = Memo::default();
        }
    }
}
