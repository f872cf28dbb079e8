//! cargo-fuzz wrapper of [`asxh_fuzz_targets::trust_list`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| asxh_fuzz_targets::trust_list(data));
