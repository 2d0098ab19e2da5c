/**
 * Whether an MP4 or MOV can be read by ffmpeg in one pass from a pipe while it is still being fetched,
 * and in which byte order. ffmpeg's MP4 demuxer needs the index (`moov`) before the frames (`mdat`) when
 * it cannot seek; phones write the index last. The order that works is then the file's head, the index
 * with every chunk offset moved by its own size, and the frames (what `-movflags faststart` writes).
 *
 * Anything this does not fully understand answers `null`: the caller then stages the whole file and
 * ffmpeg reads it as a file, as it always did. So a hostile or odd file can only lose the speed-up,
 * never be judged by this code.
 */

/** Reads bytes [start, end) of the stored original. */
export type RangeReader = (start: number, end: number) => Promise<Buffer>;

export type StreamOrder =
  /** The index already comes first: the bytes as stored. */
  | { kind: 'as-stored' }
  /** Bytes [0, headEnd), then `index` (the moved moov), then [headEnd, dataEnd): the moov was [dataEnd, size). */
  | { kind: 'index-first'; headEnd: number; index: Buffer; dataEnd: number };

/** The first read covers a typical head (ftyp, free, wide, mdat's header) in one request. */
const FIRST_READ_BYTES = 64 * 1024;
/** A phone's moov for a 20-minute clip is a few MB; a larger one is not worth holding in memory here. */
const MAX_INDEX_BYTES = 32 * 1024 * 1024;
/** Real files have a handful of top-level boxes; many more means something odd: leave it to ffmpeg. */
const MAX_TOP_LEVEL_BOXES = 64;
/** The path from moov to the chunk offset tables, the only absolute file offsets in an unfragmented index. */
const TO_CHUNK_OFFSETS = ['trak', 'mdia', 'minf', 'stbl'];
/** Boxes that mean a fragmented or encrypted file, whose offsets this does not move. */
const UNSUPPORTED_TOP_LEVEL = new Set(['moof', 'mfra', 'sidx', 'meta']);
const UNSUPPORTED_IN_SAMPLE_TABLE = new Set(['saio']);

interface Box {
  type: string;
  start: number;
  end: number;
  headerSize: number;
}

export async function planStreamOrder(read: RangeReader, size: number): Promise<StreamOrder | null> {
  const first = await read(0, Math.min(size, FIRST_READ_BYTES));
  const headerAt = async (offset: number) => (offset + 16 <= first.length ? first.subarray(offset, offset + 16) : read(offset, Math.min(size, offset + 16)));

  const boxes: Box[] = [];
  for (let offset = 0; offset < size; ) {
    if (boxes.length === MAX_TOP_LEVEL_BOXES) return null;
    const box = parseBoxHeader(await headerAt(offset), offset, size);
    if (!box) return null;
    boxes.push(box);
    offset = box.end;
  }
  if (boxes[0]?.type !== 'ftyp' || boxes.some((b) => UNSUPPORTED_TOP_LEVEL.has(b.type))) return null;
  const indexes = boxes.filter((b) => b.type === 'moov');
  const firstData = boxes.find((b) => b.type === 'mdat');
  if (indexes.length !== 1 || !firstData) return null;
  const [moov] = indexes;
  if (moov.end - moov.start > MAX_INDEX_BYTES) return null;
  const indexFirst = moov.start < firstData.start;
  // Only a moov at the very end moves every byte before it by the same amount.
  if (!indexFirst && moov.end !== size) return null;

  const index = await read(moov.start, moov.end);
  if (index.length !== moov.end - moov.start) return null;
  // Checked even when nothing moves: offsets that go backwards would make ffmpeg seek back in a pipe.
  if (indexFirst) return moveChunkOffsets(index, { from: moov.end, to: size, by: 0 }) ? { kind: 'as-stored' } : null;
  const moved = moveChunkOffsets(index, { from: firstData.start, to: moov.start, by: index.length });
  return moved ? { kind: 'index-first', headEnd: firstData.start, index: moved, dataEnd: moov.start } : null;
}

/** A box header at `offset`, or null when it does not fit the file (a cut-off or corrupt file). */
function parseBoxHeader(bytes: Buffer, offset: number, fileSize: number): Box | null {
  if (bytes.length < 8) return null;
  const size32 = bytes.readUInt32BE(0);
  const type = bytes.toString('latin1', 4, 8);
  let headerSize = 8;
  let size: number;
  if (size32 === 1) {
    if (bytes.length < 16) return null;
    size = Number(bytes.readBigUInt64BE(8));
    headerSize = 16;
  } else if (size32 === 0) {
    size = fileSize - offset;
  } else {
    size = size32;
  }
  if (size < headerSize || offset + size > fileSize) return null;
  return { type, start: offset, end: offset + size, headerSize };
}

/** The child boxes of the box whose content is `bytes[start, end)`, or null when they do not tile it exactly. */
function children(bytes: Buffer, start: number, end: number): Box[] | null {
  const found: Box[] = [];
  for (let offset = start; offset < end; ) {
    const box = parseBoxHeader(bytes.subarray(offset, Math.min(end, offset + 16)), 0, end - offset);
    if (!box) return null;
    found.push({ ...box, start: offset, end: offset + (box.end - box.start) });
    offset += box.end - box.start;
  }
  return found;
}

/**
 * A copy of the moov with every chunk offset in [from, to) moved by `by`. Null when an offset points
 * elsewhere, a table is malformed or goes backwards (ffmpeg could not read it from a pipe without
 * seeking back), or a 32-bit table would overflow.
 */
function moveChunkOffsets(moov: Buffer, range: { from: number; to: number; by: number }): Buffer | null {
  const out = Buffer.from(moov);
  const header = parseBoxHeader(moov, 0, moov.length);
  if (!header) return null;
  const tracks = children(out, header.headerSize, out.length);
  if (!tracks) return null;
  let tables = 0;
  for (const trak of tracks.filter((b) => b.type === 'trak')) {
    const stbl = descend(out, trak, TO_CHUNK_OFFSETS.slice(1));
    if (!stbl) return null;
    const entries = children(out, stbl.start + stbl.headerSize, stbl.end);
    if (!entries || entries.some((b) => UNSUPPORTED_IN_SAMPLE_TABLE.has(b.type))) return null;
    for (const table of entries.filter((b) => b.type === 'stco' || b.type === 'co64')) {
      if (!moveTable(out, table, range)) return null;
      tables++;
    }
  }
  return tables > 0 ? out : null;
}

/** The one box at the end of `path` below `box`, or null when any step is missing or repeated. */
function descend(bytes: Buffer, box: Box, path: string[]): Box | null {
  let current = box;
  for (const type of path) {
    const matches = children(bytes, current.start + current.headerSize, current.end)?.filter((b) => b.type === type);
    if (matches?.length !== 1) return null;
    current = matches[0];
  }
  return current;
}

/** Moves one stco (32-bit) or co64 (64-bit) table in place; false when it cannot be moved safely. */
function moveTable(bytes: Buffer, table: Box, { from, to, by }: { from: number; to: number; by: number }): boolean {
  const wide = table.type === 'co64';
  const width = wide ? 8 : 4;
  // Full box: version and flags (4 bytes), then the entry count.
  const countAt = table.start + table.headerSize + 4;
  if (countAt + 4 > table.end) return false;
  const count = bytes.readUInt32BE(countAt);
  if (countAt + 4 + count * width !== table.end) return false;
  let previous = -1;
  for (let i = 0; i < count; i++) {
    const at = countAt + 4 + i * width;
    const offset = wide ? Number(bytes.readBigUInt64BE(at)) : bytes.readUInt32BE(at);
    if (offset < from || offset >= to || offset < previous) return false;
    previous = offset;
    const moved = offset + by;
    if (wide) bytes.writeBigUInt64BE(BigInt(moved), at);
    else if (moved > 0xffffffff) return false;
    else bytes.writeUInt32BE(moved, at);
  }
  return true;
}
