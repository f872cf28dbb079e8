//! cargo-fuzz wrapper of [`asxh_fuzz_targets::card_responses`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| asxh_fuzz_targets::card_responses(data));
