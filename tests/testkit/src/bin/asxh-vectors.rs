//! asxh-vectors: writes the test vectors of SPEC.md §12 to `firmware-spec/vectors/` (or
//! `--out DIR`); with `--check`, fails if the files there differ from what it would write.

use std::path::PathBuf;

use clap::Parser;

#[derive(Parser)]
#[command(
    version,
    about = "Generate (or check) the card and credential test vectors"
)]
struct Args {
    /// Directory of the vector files.
    #[arg(long, default_value = concat!(env!("CARGO_MANIFEST_DIR"), "/../../firmware-spec/vectors"))]
    out: PathBuf,
    /// Compare instead of writing; exit 1 if any file differs.
    #[arg(long)]
    check: bool,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let mut stale = Vec::new();
    for (name, content) in asxh_testkit::vectors::generate() {
        let path = args.out.join(name);
        if args.check {
            if std::fs::read_to_string(&path).ok().as_deref() != Some(content.as_str()) {
                stale.push(path.display().to_string());
            }
        } else {
            std::fs::write(&path, content)?;
            println!("wrote {}", path.display());
        }
    }
    if !stale.is_empty() {
        anyhow::bail!("vectors differ from the generator: {} (run `cargo run -p asxh-testkit --bin asxh-vectors`)", stale.join(", "));
    }
    Ok(())
}
