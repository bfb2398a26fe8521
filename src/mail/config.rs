//! `[mail]`: the section type lives in the kernel's `config::mail`; this keeps its old path.

pub use crate::config::mail::*;
