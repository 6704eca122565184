//! `secfuzz list`: the registry, for people and scripts.

use serde_json::json;

#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// Print one JSON array instead of text.
    #[arg(long)]
    json: bool,
}

pub fn run(args: ListArgs) -> anyhow::Result<u8> {
    let targets = secfuzz::registry::all();
    if args.json {
        let list: Vec<_> = targets
            .iter()
            .map(|t| {
                json!({
                    "name": t.name(),
                    "description": t.description(),
                    "invariants": t.invariants().iter().map(|i| json!({
                        "id": i.id,
                        "description": i.description,
                    })).collect::<Vec<_>>(),
                })
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&list)?);
    } else {
        for t in targets {
            println!("{}  {}", t.name(), t.description());
            for i in t.invariants() {
                println!("    {:<24} {}", i.id, i.description);
            }
        }
    }
    Ok(super::EXIT_OK)
}
