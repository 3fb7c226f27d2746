//! Builds the site the server serves (`JSF_SITE_ROOT`) from the WebAssembly library cargo wrote:
//! what `cargo leptos build --release --split --precompress --frontend-only` did, step for step
//! (cargo-leptos 0.3.10, `src/compile/{front,style,assets}.rs`, `src/ext/compress.rs`), so that a
//! fresh machine need not compile cargo-leptos (19 of the 50 minutes of a first `make run`).
//!
//! 1. the public files (`public/`) are copied to the site's root;
//! 2. the splitter cuts the module into the main module and the page modules, and writes the
//!    manifest the server reads to list a page's modules in its head;
//! 3. wasm-bindgen writes the JavaScript glue for the main module;
//! 4. `wasm-opt -Oz` runs on the main module and each page module (binaryen from npm, through
//!    `scripts/wasm-opt`), two at a time;
//! 5. esbuild minifies the JavaScript, lightningcss bundles, lowers for `defaults` browsers and
//!    minifies the style sheet (both from npm, installed by `scripts/install-tools.sh`);
//! 6. every file gets a Brotli (`.br`) and a gzip (`.gz`) copy, which the server sends by content
//!    negotiation.
//!
//! Usage: `site-builder --wasm LIB.wasm --site DIR --name NAME --style CSS --assets DIR`

use anyhow::{anyhow, bail, Context, Result};
use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

/// Where the WebAssembly, JavaScript and CSS go, under the site's root (`site-pkg-dir`).
const PKG_DIR: &str = "pkg";
/// The splitter's loader, imported by the main module under this name (cargo-leptos's).
const SPLIT_LOADER: &str = "./__wasm_split.______________________.js";
/// The splitter's manifest, read by the server (`prefetch_lazy_fn_on_server`).
const SPLIT_MANIFEST: &str = "__wasm_split_manifest.json";
/// The browsers the style sheet is lowered for: the `browserquery` cargo-leptos was given.
const BROWSERS: &str = "defaults";

struct Args {
    /// The library cargo built for `wasm32-unknown-unknown`, linked with `--emit-relocs`.
    wasm: PathBuf,
    site: PathBuf,
    name: String,
    style: PathBuf,
    assets: PathBuf,
}

fn main() -> Result<()> {
    let args = parse_args()?;
    let started = Instant::now();
    let pkg = args.site.join(PKG_DIR);
    // A fresh site: a page module of an earlier build must never sit beside this build's main
    // module (the split is not deterministic, a browser mixing the two would fail).
    if args.site.exists() {
        // Only a directory this tool wrote (or an empty one): a mistyped JSF_SITE_ROOT must not
        // wipe anything else.
        let empty = fs::read_dir(&args.site)?.next().is_none();
        if !empty && !pkg.is_dir() {
            bail!(
                "{} is not empty and has no {PKG_DIR}/: not a site this tool built, left as it is",
                args.site.display()
            );
        }
        fs::remove_dir_all(&args.site).with_context(|| format!("removing {}", args.site.display()))?;
    }
    fs::create_dir_all(&pkg)?;
    copy_dir(&args.assets, &args.site)?;

    let stage = |name: &str, since: &mut Instant| {
        eprintln!("[site] {name}: {:.1} s", since.elapsed().as_secs_f64());
        *since = Instant::now();
    };
    let mut since = Instant::now();
    let page_modules = split(&args, &pkg)?;
    stage("split", &mut since);
    bindgen(&args, &pkg)?;
    stage("wasm-bindgen", &mut since);
    let mut modules = vec![pkg.join(format!("{}.wasm", args.name))];
    modules.extend(page_modules);
    optimise(&modules)?;
    stage("wasm-opt", &mut since);
    minify_js(&[
        pkg.join(format!("{}.js", args.name)),
        pkg.join(SPLIT_LOADER.trim_start_matches("./")),
    ])?;
    style(&args.style, &pkg.join(format!("{}.css", args.name)))?;
    stage("JavaScript and CSS", &mut since);
    precompress(&args.site)?;
    stage("Brotli and gzip copies", &mut since);
    eprintln!(
        "[site] {} built in {:.1} s",
        args.site.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn parse_args() -> Result<Args> {
    let mut given: BTreeMap<String, String> = BTreeMap::new();
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().ok_or_else(|| anyhow!("{flag} needs a value"))?;
        given.insert(flag, value);
    }
    let mut take = |flag: &str| {
        given.remove(flag).ok_or_else(|| {
            anyhow!(
                "missing {flag} (usage: site-builder --wasm LIB.wasm --site DIR --name NAME --style CSS --assets DIR)"
            )
        })
    };
    let args = Args {
        wasm: take("--wasm")?.into(),
        site: take("--site")?.into(),
        name: take("--name")?,
        style: take("--style")?.into(),
        assets: take("--assets")?.into(),
    };
    if let Some(flag) = given.keys().next() {
        bail!("unknown flag {flag}");
    }
    Ok(args)
}

fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    for entry in fs::read_dir(from).with_context(|| format!("reading {}", from.display()))? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            fs::create_dir_all(&target)?;
            copy_dir(&entry.path(), &target)?;
        } else {
            fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

/// Cuts the module along leptos's `lazy` functions; returns the page modules' paths. The main
/// module goes beside the input, for wasm-bindgen.
fn split(args: &Args, pkg: &Path) -> Result<Vec<PathBuf>> {
    let input = fs::read(&args.wasm).with_context(|| format!("reading {}", args.wasm.display()))?;
    let main_out = split_main_path(args);
    let main_module = format!("./{}.js", args.name);
    let mut options = wasm_split_cli_support::Options::new(&input);
    options.output_dir = pkg;
    options.main_out_path = &main_out;
    options.main_module = &main_module;
    options.link_name = SPLIT_LOADER;
    let split = wasm_split_cli_support::transform(options).map_err(|e| anyhow!("splitting the WebAssembly: {e:?}"))?;
    // Sorted, so that two builds of the same code write the same manifest.
    let manifest: BTreeMap<_, _> = split.prefetch_map.into_iter().collect();
    fs::write(pkg.join(SPLIT_MANIFEST), serde_json::to_string_pretty(&manifest)?)?;
    Ok(split.split_modules)
}

fn split_main_path(args: &Args) -> PathBuf {
    let stem = args.wasm.file_stem().and_then(|s| s.to_str()).unwrap_or("main");
    args.wasm.with_file_name(format!("{stem}_split.wasm"))
}

/// wasm-bindgen as cargo-leptos ran its command line: `--target=web --keep-lld-exports
/// --no-demangle` (the splitter's relocations need the linker's exports and mangled names), the
/// module renamed from `NAME_bg.wasm` to `NAME.wasm`, the name leptos's `HydrationScripts` loads.
fn bindgen(args: &Args, pkg: &Path) -> Result<()> {
    wasm_bindgen_cli_support::Bindgen::new()
        .input_path(split_main_path(args))
        .out_name(&args.name)
        .web(true)?
        .keep_lld_exports(true)
        .demangle(false)
        .typescript(false)
        .generate(pkg)
        .context("wasm-bindgen")?;
    fs::rename(
        pkg.join(format!("{}_bg.wasm", args.name)),
        pkg.join(format!("{}.wasm", args.name)),
    )?;
    Ok(())
}

/// `wasm-opt -Oz` on each module, the largest (the main module) first.
fn optimise(modules: &[PathBuf]) -> Result<()> {
    on_all_cores(modules, |module| {
        run(Command::new("wasm-opt")
            .args(["-Oz", "--enable-bulk-memory", "--enable-nontrapping-float-to-int"])
            .arg(module)
            .arg("-o")
            .arg(module))
    })
}

/// Runs `job` on every file, as many at a time as the machine has cores, largest files first so
/// that the longest job does not start last.
fn on_all_cores(files: &[PathBuf], job: impl Fn(&Path) -> Result<()> + Sync) -> Result<()> {
    let mut files = files.to_vec();
    files.sort_by_key(|f| std::cmp::Reverse(fs::metadata(f).map_or(0, |m| m.len())));
    let next = AtomicUsize::new(0);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..cores)
            .map(|_| {
                scope.spawn(|| -> Result<()> {
                    while let Some(file) = files.get(next.fetch_add(1, Ordering::Relaxed)) {
                        job(file)?;
                    }
                    Ok(())
                })
            })
            .collect();
        workers
            .into_iter()
            .try_for_each(|w| w.join().map_err(|_| anyhow!("a worker thread panicked"))?)
    })
}

fn minify_js(files: &[PathBuf]) -> Result<()> {
    for file in files {
        run(Command::new("esbuild")
            .arg(file)
            .args(["--minify", "--allow-overwrite", "--log-level=warning"])
            // wasm-bindgen's glue names one module several times in an import object (same
            // value each time): harmless, and not ours to fix.
            .arg("--log-override:duplicate-object-key=silent")
            .arg(format!("--outfile={}", file.display())))?;
    }
    Ok(())
}

fn style(source: &Path, dest: &Path) -> Result<()> {
    run(Command::new("lightningcss")
        .args(["--minify", "--bundle", "--targets", BROWSERS])
        .arg(source)
        .arg("-o")
        .arg(dest))
}

fn run(command: &mut Command) -> Result<()> {
    let program = command.get_program().to_string_lossy().into_owned();
    let status = command
        .status()
        .with_context(|| format!("running {program} (scripts/install-tools.sh installs it)"))?;
    if !status.success() {
        bail!("{program} failed ({status})");
    }
    Ok(())
}

/// A Brotli (quality 11) and a gzip (best) copy of every file, written beside it.
fn precompress(site: &Path) -> Result<()> {
    let mut files = Vec::new();
    list_files(site, &mut files)?;
    on_all_cores(&files, compress_file)
}

fn list_files(dir: &Path, files: &mut Vec<PathBuf>) -> Result<()> {
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_type()?.is_dir() {
            list_files(&entry.path(), files)?;
        } else {
            files.push(entry.path());
        }
    }
    Ok(())
}

fn compress_file(file: &Path) -> Result<()> {
    let bytes = fs::read(file)?;
    let with_suffix = |suffix: &str| {
        let mut name = file.as_os_str().to_owned();
        name.push(suffix);
        PathBuf::from(name)
    };
    let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gzip.write_all(&bytes)?;
    fs::write(with_suffix(".gz"), gzip.finish()?)?;
    let mut brotli = Vec::new();
    let params = brotli::enc::BrotliEncoderParams::default(); // quality 11, window 22
    brotli::BrotliCompress(&mut bytes.as_slice(), &mut brotli, &params)?;
    fs::write(with_suffix(".br"), brotli)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    /// Every file gets a Brotli and a gzip copy that decode to its bytes, and the copies get none.
    #[test]
    fn precompress_writes_copies_that_decode_to_each_file() {
        let site = std::env::temp_dir().join(format!("site-builder-test-{}", std::process::id()));
        let _ = fs::remove_dir_all(&site);
        fs::create_dir_all(site.join("pkg")).unwrap();
        let files = [
            ("favicon.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>".repeat(3)),
            ("pkg/app.js", b"export function hydrate() {}\n".repeat(200)),
            ("pkg/empty.css", Vec::new()),
        ];
        for (name, bytes) in &files {
            fs::write(site.join(name), bytes).unwrap();
        }
        precompress(&site).unwrap();
        let mut all = Vec::new();
        list_files(&site, &mut all).unwrap();
        assert_eq!(all.len(), files.len() * 3, "{all:?}");
        for (name, bytes) in &files {
            let mut from_gzip = Vec::new();
            flate2::read::GzDecoder::new(fs::File::open(site.join(format!("{name}.gz"))).unwrap())
                .read_to_end(&mut from_gzip)
                .unwrap();
            assert_eq!(&from_gzip, bytes, "{name}.gz");
            let mut from_brotli = Vec::new();
            brotli::Decompressor::new(fs::File::open(site.join(format!("{name}.br"))).unwrap(), 4096)
                .read_to_end(&mut from_brotli)
                .unwrap();
            assert_eq!(&from_brotli, bytes, "{name}.br");
        }
        fs::remove_dir_all(&site).unwrap();
    }
}
