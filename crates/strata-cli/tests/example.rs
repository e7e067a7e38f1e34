//! The README's first command runs `examples/blog`: keep it working.

mod common;

use common::run;

#[test]
fn example_project_applies_seeds_and_rolls_back() {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/blog");
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&src, dir.path());
    let _ = std::fs::remove_file(dir.path().join("blog.db"));
    let strata = |args: &[&str]| {
        let mut c = common::strata();
        c.current_dir(dir.path()).args(args);
        run(&mut c)
    };
    for args in [
        &["validate"][..],
        &["apply"],
        &["seed"],
        &["seed"], // seeds are idempotent
        &["status"],
        &["rollback", "--steps", "3"],
        &["apply"],
    ] {
        let (code, out, err) = strata(args);
        assert_eq!(code, 0, "strata {args:?}: {out}{err}");
    }
    let (_, out, _) = strata(&["status"]);
    assert!(out.contains("3 applied"), "{out}");
}
