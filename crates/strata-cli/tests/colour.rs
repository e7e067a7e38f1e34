//! Colour as cargo does it: on a terminal unless NO_COLOR, never in a pipe unless `--color always`.
//! The terminal is a real pseudo-terminal from util-linux's `script`, on the example project.

mod common;

use std::path::Path;
use std::process::Command;

const ESC: &str = "\x1b[";

/// The example project, migrated, in a temporary folder (SQLite: no server needed).
fn blog() -> tempfile::TempDir {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/blog");
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&src, dir.path());
    let _ = std::fs::remove_file(dir.path().join("blog.db"));
    // A migration with findings, so lint has diagnostics to colour.
    std::fs::write(
        dir.path().join("drop.sql"),
        "DROP TABLE posts;\nALTER TABLE users DROP COLUMN email;\n",
    )
    .unwrap();
    let (code, out, err) = common::run(common::strata().current_dir(dir.path()).arg("apply"));
    assert_eq!(code, 0, "{out}{err}");
    dir
}

/// A clean environment for the colour decision: what the developer's shell sets must not leak in.
fn colour_env(c: &mut Command, extra: &[(&str, &str)]) {
    for var in ["NO_COLOR", "CLICOLOR", "CLICOLOR_FORCE", "CI"] {
        c.env_remove(var);
    }
    c.env("TERM", "xterm-256color");
    c.env_remove("DATABASE_URL").env_remove("STRATA_ENV");
    for (k, v) in extra {
        c.env(k, v);
    }
}

/// stdout of strata run on a pseudo-terminal.
fn on_terminal(dir: &Path, args: &[&str], extra: &[(&str, &str)]) -> String {
    let bin = assert_cmd::cargo::cargo_bin("strata");
    let line: Vec<String> = std::iter::once(bin.display().to_string())
        .chain(args.iter().map(|a| a.to_string()))
        .map(|a| format!("'{}'", a.replace('\'', r"'\''")))
        .collect();
    let mut c = Command::new("script");
    c.args(["-qec", &line.join(" "), "/dev/null"])
        .current_dir(dir)
        .stdin(std::process::Stdio::null());
    colour_env(&mut c, extra);
    let out = c
        .output()
        .expect("util-linux `script` runs commands on a pseudo-terminal; install util-linux");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// stdout of strata run with stdout a pipe.
fn in_pipe(dir: &Path, args: &[&str], extra: &[(&str, &str)]) -> String {
    let mut c = Command::new(assert_cmd::cargo::cargo_bin("strata"));
    c.args(args).current_dir(dir);
    colour_env(&mut c, extra);
    String::from_utf8_lossy(&c.output().unwrap().stdout).into_owned()
}

const COMMANDS: [&[&str]; 2] = [
    &["status"],
    &["lint", "--offline", "--engine", "sqlite", "drop.sql"],
];

#[test]
fn a_terminal_gets_colour() {
    let dir = blog();
    for args in COMMANDS {
        let out = on_terminal(dir.path(), args, &[]);
        assert!(out.contains(ESC), "strata {args:?} on a terminal: {out:?}");
    }
    let status = on_terminal(dir.path(), &["status"], &[]);
    assert!(status.contains("\x1b[32mapplied"), "{status:?}");
    let lint = on_terminal(dir.path(), COMMANDS[1], &[]);
    assert!(lint.contains("error[DL001]"), "{lint:?}");
}

#[test]
fn a_pipe_gets_none_unless_asked() {
    let dir = blog();
    for args in COMMANDS {
        let out = in_pipe(dir.path(), args, &[]);
        assert!(!out.contains('\x1b'), "strata {args:?} in a pipe: {out:?}");
        assert!(!out.is_empty(), "strata {args:?}");
        let forced = [&["--color", "always"][..], args].concat();
        let out = in_pipe(dir.path(), &forced, &[]);
        assert!(out.contains(ESC), "strata {forced:?} in a pipe: {out:?}");
        let out = in_pipe(dir.path(), args, &[("CLICOLOR_FORCE", "1")]);
        assert!(
            out.contains(ESC),
            "CLICOLOR_FORCE=1 strata {args:?}: {out:?}"
        );
    }
}

#[test]
fn no_color_and_color_never_switch_it_off_on_a_terminal() {
    let dir = blog();
    for args in COMMANDS {
        let out = on_terminal(dir.path(), args, &[("NO_COLOR", "1")]);
        assert!(!out.contains('\x1b'), "NO_COLOR=1 strata {args:?}: {out:?}");
        assert!(!out.trim().is_empty(), "strata {args:?}");
        let never = [&["--color", "never"][..], args].concat();
        let out = on_terminal(dir.path(), &never, &[]);
        assert!(!out.contains('\x1b'), "strata {never:?}: {out:?}");
    }
}
