// Reads single files out of a zip archive, synchronously and without reading
// the rest: Sweet Home 3D's furniture libraries are zips of up to 180 MB of 3D
// models, of which the art index wants one catalogue and the renderer one
// 128-pixel icon at a time. npm's zip readers either read the whole archive
// into memory (adm-zip, fflate) or work only asynchronously (yauzl), and the
// index is built synchronously, so this reads the central directory and one
// entry's bytes by offset, and inflates them with node's zlib.

import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { inflateRawSync } from "node:zlib";

const END_OF_DIRECTORY = 0x06054b50;
const DIRECTORY_ENTRY = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;
/** The end record's 22 bytes plus the longest comment a zip may carry. */
const END_SEARCH = 22 + 0xffff;
/** No entry the index or renderer asks for is larger: a catalogue or an icon, never a model. */
export const MAX_ENTRY_BYTES = 16 * 1024 * 1024;

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  headerOffset: number;
}

function read(fd: number, position: number, length: number): Buffer {
  const buffer = Buffer.alloc(length);
  const n = readSync(fd, buffer, 0, length, position);
  return buffer.subarray(0, n);
}

/** The archive's entries by name, from its central directory. Throws on what is not a zip. */
export function zipEntries(file: string): Map<string, ZipEntry> {
  const fd = openSync(file, "r");
  try {
    const size = fstatSync(fd).size;
    const tail = read(fd, Math.max(0, size - END_SEARCH), Math.min(size, END_SEARCH));
    let end = -1;
    for (let i = tail.length - 22; i >= 0; i--) if (tail.readUInt32LE(i) === END_OF_DIRECTORY) { end = i; break; }
    if (end < 0) throw new Error(`${file}: not a zip archive`);
    const count = tail.readUInt16LE(end + 10);
    const directory = read(fd, tail.readUInt32LE(end + 16), tail.readUInt32LE(end + 12));
    const entries = new Map<string, ZipEntry>();
    let at = 0;
    for (let i = 0; i < count && at + 46 <= directory.length; i++) {
      if (directory.readUInt32LE(at) !== DIRECTORY_ENTRY) throw new Error(`${file}: damaged central directory`);
      const nameLength = directory.readUInt16LE(at + 28);
      const name = directory.toString("utf8", at + 46, at + 46 + nameLength);
      entries.set(name, {
        name,
        method: directory.readUInt16LE(at + 10),
        compressedSize: directory.readUInt32LE(at + 20),
        size: directory.readUInt32LE(at + 24),
        headerOffset: directory.readUInt32LE(at + 42),
      });
      at += 46 + nameLength + directory.readUInt16LE(at + 30) + directory.readUInt16LE(at + 32);
    }
    return entries;
  } finally {
    closeSync(fd);
  }
}

/** One entry's bytes: stored or deflated, at most MAX_ENTRY_BYTES. */
export function readZipEntry(file: string, entry: ZipEntry): Buffer {
  if (entry.size > MAX_ENTRY_BYTES || entry.compressedSize > MAX_ENTRY_BYTES) throw new Error(`${file}: ${entry.name} is too large`);
  const fd = openSync(file, "r");
  try {
    const header = read(fd, entry.headerOffset, 30);
    if (header.length < 30 || header.readUInt32LE(0) !== LOCAL_HEADER) throw new Error(`${file}: damaged entry ${entry.name}`);
    const start = entry.headerOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
    const data = read(fd, start, entry.compressedSize);
    if (entry.method === 0) return data;
    if (entry.method === 8) return inflateRawSync(data, { maxOutputLength: MAX_ENTRY_BYTES });
    throw new Error(`${file}: ${entry.name} uses compression method ${entry.method}`);
  } finally {
    closeSync(fd);
  }
}

/** Entries of each archive read once per process: the renderer asks for icons one by one. */
const directories = new Map<string, Map<string, ZipEntry>>();

/** The bytes of `archive#entry`, as the art index names a file inside an archive. */
export function readArchivedFile(reference: string): Buffer {
  const cut = reference.indexOf("#");
  const [file, name] = [reference.slice(0, cut), reference.slice(cut + 1)];
  let entries = directories.get(file);
  if (!entries) {
    entries = zipEntries(file);
    directories.set(file, entries);
  }
  const entry = entries.get(name);
  if (!entry) throw new Error(`${file}: no entry ${name}`);
  return readZipEntry(file, entry);
}
