//! Every bundled document (published system policies and the procedure's documents) parses, validates and
//! serializes back to the same JSON value.

use std::path::PathBuf;

use ram_policy::{system_policy, system_policy_names, validate, PolicyDocument, PolicyKind};

#[test]
fn every_bundled_document_parses_validates_and_round_trips() {
    let dir: PathBuf = [env!("CARGO_MANIFEST_DIR"), "policies"].iter().collect();
    let mut published = 0;
    let mut procedure = 0;
    let mut entries: Vec<PathBuf> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for path in entries {
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&path).unwrap();
        let doc = PolicyDocument::parse(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let kind =
            if doc.statement.iter().any(|s| s.principal.is_some()) { PolicyKind::Trust } else { PolicyKind::Identity };
        let report = validate(&text, kind);
        assert!(report.is_valid(), "{name}: {report}");
        let original: serde_json::Value = serde_json::from_str(&text).unwrap();
        let back: serde_json::Value = serde_json::from_str(&doc.to_json()).unwrap();
        assert_eq!(original, back, "{name}");
        if name.starts_with("Aliyun") {
            assert!(system_policy_names().contains(&name.as_str()), "{name} is not bundled by name");
            assert_eq!(system_policy(&format!("system:{name}")), Some(doc), "{name}");
            published += 1;
        } else {
            procedure += 1;
        }
    }
    assert_eq!((published, procedure), (5, 6));
    assert_eq!(system_policy_names().len(), published);
}
