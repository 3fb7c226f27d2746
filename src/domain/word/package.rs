//! The ZIP package of a `.docx` or `.odt`, read within bounds, and written.
//!
//! A hostile file is small on the wire and huge once inflated (a « zip bomb »): the number of
//! entries, each part read and the total inflated are bounded whatever the archive declares
//! (reads stop at the bound), and XML is parsed without DTDs (no entities, no external
//! resources) with a bounded number of nodes.

use std::io::{Cursor, Read, Write};

use super::{Format, WordError};

/// Entries in the archive (a long CCTP with its styles has a few dozen).
const MAX_ENTRIES: usize = 2_000;
/// Inflated size of one XML part read, and of all parts read together.
const MAX_PART_BYTES: u64 = 48 * 1024 * 1024;
const MAX_TOTAL_BYTES: u64 = 96 * 1024 * 1024;
/// XML nodes of one part: about 80 bytes each in memory, so 80 MB at most (the Code civil's
/// document.xml, 2,800 clauses, has about 150,000).
const MAX_NODES: u32 = 1_000_000;

/// First bytes of an OLE compound file: a Word 97–2003 `.doc`, or any Office file encrypted
/// with a password (Office wraps those in a compound file).
const COMPOUND_FILE: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

pub(crate) struct Package<'a> {
    archive: zip::ZipArchive<Cursor<&'a [u8]>>,
    read_so_far: u64,
}

impl<'a> Package<'a> {
    pub(crate) fn open(bytes: &'a [u8]) -> Result<Package<'a>, WordError> {
        if bytes.starts_with(&COMPOUND_FILE) {
            // Either an old .doc or a protected file: the message covers both.
            return Err(if looks_encrypted(bytes) {
                WordError::Protected
            } else {
                WordError::NotAWordFile
            });
        }
        if !bytes.starts_with(b"PK") {
            return Err(WordError::NotAWordFile);
        }
        let archive =
            zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| WordError::Corrupt("archive illisible".into()))?;
        if archive.len() > MAX_ENTRIES {
            return Err(WordError::TooComplex);
        }
        Ok(Package {
            archive,
            read_so_far: 0,
        })
    }

    /// Which format the package holds, from its parts.
    pub(crate) fn format(&mut self) -> Result<Format, WordError> {
        if let Some(mimetype) = self.text("mimetype")? {
            if mimetype.trim() == "application/vnd.oasis.opendocument.text" {
                return Ok(Format::Odt);
            }
            if mimetype.contains("opendocument") {
                return Err(WordError::NotAWordFile);
            }
        }
        if self.has("[Content_Types].xml") && self.has("word/document.xml") || self.has("_rels/.rels") {
            return Ok(Format::Docx);
        }
        if self.has("content.xml") {
            return Ok(Format::Odt);
        }
        Err(WordError::NotAWordFile)
    }

    pub(crate) fn has(&self, name: &str) -> bool {
        self.archive.index_for_name(name).is_some()
    }

    /// A part as UTF-8 text, if the package has it.
    pub(crate) fn text(&mut self, name: &str) -> Result<Option<String>, WordError> {
        let Some(index) = self.archive.index_for_name(name) else {
            return Ok(None);
        };
        let budget = MAX_PART_BYTES.min(MAX_TOTAL_BYTES - self.read_so_far);
        let mut entry = self.archive.by_index(index).map_err(|e| {
            if e.to_string().to_lowercase().contains("password") {
                WordError::Protected
            } else {
                WordError::Corrupt(format!("partie {name} illisible"))
            }
        })?;
        if entry.encrypted() {
            return Err(WordError::Protected);
        }
        if entry.size() > budget {
            return Err(WordError::TooComplex);
        }
        let mut bytes = Vec::with_capacity(entry.size() as usize);
        // The declared size may lie: stop one byte past the budget whatever it says.
        (&mut entry)
            .take(budget + 1)
            .read_to_end(&mut bytes)
            .map_err(|_| WordError::Corrupt(format!("partie {name} illisible")))?;
        if bytes.len() as u64 > budget {
            return Err(WordError::TooComplex);
        }
        self.read_so_far += bytes.len() as u64;
        let text = String::from_utf8(bytes).map_err(|_| WordError::Corrupt(format!("partie {name} mal encodée")))?;
        Ok(Some(text))
    }
}

/// Parses an XML part: no DTD (so no entity of any kind), bounded nodes.
pub(crate) fn parse<'x>(text: &'x str, part: &str) -> Result<roxmltree::Document<'x>, WordError> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: false,
        nodes_limit: MAX_NODES,
        ..roxmltree::ParsingOptions::default()
    };
    roxmltree::Document::parse_with_options(text, options).map_err(|e| match e {
        roxmltree::Error::NodesLimitReached => WordError::TooComplex,
        _ => WordError::Corrupt(format!("partie {part} mal formée")),
    })
}

/// Office's encrypted packages name their streams `EncryptionInfo` / `EncryptedPackage` (in
/// UTF-16 in the compound file's directory).
fn looks_encrypted(bytes: &[u8]) -> bool {
    let needle: Vec<u8> = "EncryptedPackage"
        .encode_utf16()
        .flat_map(|u| u.to_le_bytes())
        .collect();
    bytes.windows(needle.len()).any(|w| w == needle.as_slice())
}

/// Local name of an element or attribute (namespaces differ between transitional and strict
/// OOXML, and between producers; the local names do not).
pub(crate) fn attr<'x>(node: roxmltree::Node<'x, '_>, local: &str) -> Option<&'x str> {
    node.attributes().find(|a| a.name() == local).map(|a| a.value())
}

/// The first child element with this local name.
pub(crate) fn child<'x, 'i>(node: roxmltree::Node<'x, 'i>, local: &str) -> Option<roxmltree::Node<'x, 'i>> {
    node.children().find(|c| c.is_element() && c.tag_name().name() == local)
}

/// Writes a ZIP package: deflated parts, in the given order (`[Content_Types].xml` or
/// `mimetype` first), with a fixed date so that the same text gives the same file.
pub(crate) fn write(parts: &[(&str, Vec<u8>)]) -> Vec<u8> {
    use zip::write::SimpleFileOptions;
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in parts {
        // Writing to memory cannot fail.
        writer.start_file(*name, options).expect("a ZIP entry in memory");
        writer.write_all(bytes).expect("a ZIP entry in memory");
    }
    writer.finish().expect("a ZIP in memory").into_inner()
}
