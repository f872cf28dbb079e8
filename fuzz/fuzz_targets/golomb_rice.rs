//! cargo-fuzz wrapper of [`asxh_fuzz_targets::golomb_rice`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| asxh_fuzz_targets::golomb_rice(data));
