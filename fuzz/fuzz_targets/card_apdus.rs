//! cargo-fuzz wrapper of [`asxh_fuzz_targets::card_apdus`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| asxh_fuzz_targets::card_apdus(data));
