//! Docs that run: every shell example in `README.md` and `docs/*.md` is executed against a
//! fresh server on the default fixtures (one server per document, its blocks in order), and
//! the outcome each command claims is asserted.
//!
//! The format, for whoever writes docs:
//!
//! - A shell example is a fenced ` ```sh ` block. `http://127.0.0.1:8080` in it stands for the
//!   server under test, and `$M` is set to it before every block.
//! - A command that claims an outcome ends with a comment `# → STATUS` or `# → STATUS TEXT`:
//!   the last HTTP status curl saw must be STATUS (`000` for no answer), and TEXT, when given,
//!   must appear in the answer's headers or body or in curl's messages. Every `curl` (or
//!   `$US`) command claims one, unless its output is redirected or captured (then it must
//!   succeed).
//! - Any other line must succeed (exit status 0).
//! - A block the checker cannot run says why, on the line before its fence:
//!   `<!-- docs-check: skip: REASON -->`.
//! - A `curl` in inline code (a table cell, a sentence) must also appear, character for
//!   character, in a block of the same document, so that it is run too.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::helpers::*;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
/// The address the docs use for the mock.
const DOC_BASE: &str = "http://127.0.0.1:8080";

/// One fenced shell block.
#[derive(Debug)]
struct Block {
    /// The line of its first command in the document.
    line: usize,
    lines: Vec<String>,
    skipped: Option<String>,
}

fn documents() -> Vec<PathBuf> {
    let mut docs = vec![Path::new(ROOT).join("README.md")];
    let mut more: Vec<PathBuf> = std::fs::read_dir(Path::new(ROOT).join("docs"))
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    more.sort();
    docs.extend(more);
    docs
}

fn blocks(text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut current: Option<Block> = None;
    let mut previous = "";
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        match &mut current {
            Some(block) if trimmed.starts_with("```") => {
                blocks.push(std::mem::replace(
                    block,
                    Block {
                        line: 0,
                        lines: vec![],
                        skipped: None,
                    },
                ));
                current = None;
            }
            Some(block) => block.lines.push(line.to_string()),
            None if trimmed == "```sh" || trimmed == "```bash" || trimmed == "```shell" => {
                let skipped = previous
                    .trim()
                    .strip_prefix("<!-- docs-check: skip:")
                    .and_then(|r| r.strip_suffix("-->"))
                    .map(|r| r.trim().to_string());
                current = Some(Block {
                    line: i + 2,
                    lines: vec![],
                    skipped,
                });
            }
            None => {}
        }
        previous = line;
    }
    blocks
}

/// The inline code spans of a document that hold a shell command.
fn inline_commands(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut in_fence = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            continue;
        }
        let mut parts = line.split('`');
        parts.next();
        while let (Some(code), rest) = (parts.next(), parts.next()) {
            let addresses = code.contains("$M") || code.contains("http");
            if (code.starts_with("curl ") && addresses) || code.starts_with("$US ") {
                found.push(code.to_string());
            }
            if rest.is_none() {
                break;
            }
        }
    }
    found
}

/// What a command claims: a status, and a text the answer holds (may be empty).
type Claim = Option<(String, String)>;

/// A command's line, text and claim, from lines joined at trailing backslashes.
fn commands(block: &Block) -> Vec<(usize, String, Claim)> {
    let mut out = Vec::new();
    let mut pending = String::new();
    let mut start = block.line;
    for (i, line) in block.lines.iter().enumerate() {
        if pending.is_empty() {
            start = block.line + i;
        }
        if pending.is_empty() && line.trim_start().starts_with('#') {
            continue;
        }
        // A command goes on after a trailing backslash, and inside a quoted argument.
        let open_quote = (pending.matches('\'').count() + line.matches('\'').count()) % 2 == 1;
        if line.ends_with('\\') || open_quote {
            pending.push_str(line);
            pending.push('\n');
            continue;
        }
        pending.push_str(line);
        let command = std::mem::take(&mut pending);
        let (text, claim) = match command.rsplit_once("# → ") {
            Some((text, claim)) => {
                let claim = claim.trim();
                let (status, expected) = claim.split_once(' ').unwrap_or((claim, ""));
                (
                    text.trim_end().to_string(),
                    Some((status.to_string(), expected.trim().to_string())),
                )
            }
            None => (command, None),
        };
        if text.trim().is_empty() || text.trim_start().starts_with('#') {
            continue;
        }
        out.push((start, text, claim));
    }
    out
}

/// Whether a command runs curl and shows its answer (rather than keeping it).
fn shows_an_answer(command: &str) -> bool {
    let runs_curl =
        command.trim_start().starts_with("curl ") || command.trim_start().starts_with("$US ");
    runs_curl && !command.contains(" > ") && !command.contains("$(")
}

fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// The bash script that runs a document's blocks and checks each claim.
fn script(doc: &str, base: &str, blocks: &[Block]) -> Result<String, Vec<String>> {
    let mut problems = Vec::new();
    let mut script = String::from(
        r#"cd "$(mktemp -d)"
__dir=$(mktemp -d)
curl() { command curl -D "$__dir/h" -w '%{stderr}\n__STATUS__%{http_code}\n' "$@"; }
__fail() { echo "FAIL $1"; echo "--- answer:"; head -c 2000 "$__dir/h" "$__dir/o" "$__dir/e" 2>/dev/null; exit 1; }
__claim() {
  local got
  got=$(grep -o '__STATUS__[0-9]*' "$__dir/e" | tail -1)
  got=${got#__STATUS__}
  [ "$got" = "$2" ] || __fail "$1: answered ${got:-nothing}, the docs say $2"
  if [ -n "$3" ]; then
    cat "$__dir/h" "$__dir/o" "$__dir/e" 2>/dev/null | grep -qiF -- "$3" || __fail "$1: the answer does not hold \"$3\""
  fi
}
"#,
    );
    for block in blocks {
        if block.skipped.is_some() {
            continue;
        }
        script.push_str(&format!("M={base}\n"));
        for (line, text, claim) in commands(block) {
            let text = text.replace(DOC_BASE, base);
            let at = format!("{doc}:{line}");
            match claim {
                Some((status, expected)) => {
                    script.push_str(&format!(
                        ": > \"$__dir/h\"; {{ {text}\n}} > \"$__dir/o\" 2> \"$__dir/e\"\n__claim {} {} {}\n",
                        quote(&at),
                        quote(&status),
                        quote(&expected)
                    ));
                }
                None if shows_an_answer(&text) => problems.push(format!(
                    "{at}: `{}` claims no outcome (end it with `# → STATUS`)",
                    text.lines().next().unwrap_or_default()
                )),
                None => {
                    script.push_str(&format!(
                        "{{ {text}\n}} 2> \"$__dir/e\" || __fail {}\n",
                        quote(&format!("{at}: exited with an error"))
                    ));
                }
            }
        }
    }
    if problems.is_empty() {
        Ok(script)
    } else {
        Err(problems)
    }
}

#[tokio::test]
async fn every_shell_example_in_the_docs_runs_and_answers_as_it_says() {
    let mut failures = Vec::new();
    let mut ran = 0;
    for path in documents() {
        let doc = path.strip_prefix(ROOT).unwrap().display().to_string();
        let text = std::fs::read_to_string(&path).unwrap();
        let blocks = blocks(&text);
        for block in &blocks {
            if let Some(reason) = &block.skipped
                && reason.is_empty()
            {
                failures.push(format!(
                    "{doc}:{}: a skipped block must say why",
                    block.line
                ));
            }
        }
        let in_blocks: Vec<&str> = blocks
            .iter()
            .filter(|b| b.skipped.is_none())
            .flat_map(|b| b.lines.iter().map(String::as_str))
            .collect();
        for inline in inline_commands(&text) {
            if !in_blocks.iter().any(|line| line.contains(&inline)) {
                failures.push(format!(
                    "{doc}: inline `{inline}` is not in a block that runs"
                ));
            }
        }
        let app = spawn_app().await;
        let script = match script(&doc, &app.base, &blocks) {
            Ok(script) => script,
            Err(problems) => {
                failures.extend(problems);
                continue;
            }
        };
        ran += blocks.iter().filter(|b| b.skipped.is_none()).count();
        let out = tokio::task::spawn_blocking(move || {
            Command::new("bash").arg("-c").arg(script).output().unwrap()
        })
        .await
        .unwrap();
        if !out.status.success() {
            failures.push(format!(
                "{doc}: {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
    assert!(ran >= 10, "only {ran} blocks ran");
}

#[test]
fn a_wrong_claim_fails_the_check() {
    // The checker itself: a block whose claim is wrong makes the script fail.
    let block = Block {
        line: 1,
        lines: vec!["curl -s http://127.0.0.1:9/   # → 200".into()],
        skipped: None,
    };
    let script = script("test", "http://127.0.0.1:9", &[block]).unwrap();
    let out = Command::new("bash").arg("-c").arg(script).output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("answered 000, the docs say 200"));
}
