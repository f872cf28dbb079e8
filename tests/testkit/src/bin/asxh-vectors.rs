//! asxh-vectors: writes the test vectors of SPEC.md §12 to `firmware-spec/vectors/` (or
//! `--out DIR`); with `--check`, fails if the files there differ from what it would write. With
//! `--state-fixtures`, writes instead the persisted-state fixtures of the current card record
//! format to `firmware-spec/tests/state/v<format>/`, refusing to replace any file there: those
//! fixtures are made once per format and kept for ever.

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
    /// Write the persisted-state fixtures of the current record format (only files that do not
    /// exist yet) instead of the vectors.
    #[arg(long, conflicts_with = "check")]
    state_fixtures: bool,
}

/// `--state-fixtures`: the records of [`asxh_testkit::vectors::state_fixtures`], never
/// overwritten.
fn write_state_fixtures() -> anyhow::Result<()> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!(
        "../../firmware-spec/tests/state/v{}",
        asxh_card::state::STATE_FORMAT
    ));
    let fixtures = asxh_testkit::vectors::state_fixtures();
    if let Some((name, _)) = fixtures
        .iter()
        .find(|(name, _)| dir.join(format!("{name}.state")).exists())
    {
        anyhow::bail!(
            "{}/{name}.state exists: the fixtures of a released record format are never rewritten (a new format gets a new directory)",
            dir.display()
        );
    }
    std::fs::create_dir_all(&dir)?;
    for (name, record) in fixtures {
        let path = dir.join(format!("{name}.state"));
        std::fs::write(&path, record)?;
        println!("wrote {}", path.display());
    }
    Ok(())
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    if args.state_fixtures {
        return write_state_fixtures();
    }
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
