/**
 * `assay export --format parquet` (and File → Export… as Parquet): the CSV export's columns, for a
 * notebook (`pd.read_parquet`, `pl.read_parquet`). Every column is an optional UTF-8 string holding
 * exactly the CSV's cell, an empty cell as null (as `pd.read_csv` reads it). Rows are written a row
 * group at a time with hyparquet-writer, so memory stays at one row group on any project size.
 */
import { ByteWriter, ParquetWriter } from 'hyparquet-writer'
import type { SchemaElement } from 'hyparquet'

/** Rows per row group at most: large enough for good compression. */
export const PARQUET_GROUP_ROWS = 5000
/** Characters per row group at most, so that a project of long traces holds one group of a few tens of MB. */
const GROUP_CHARS = 16 << 20

/** A row-at-a-time writer of one export file, whatever its format. */
export interface RowSink {
  row(cells: (string | null)[]): Promise<void>
  end(): Promise<void>
}

/** hyparquet-writer's byte buffer, emptied into `out` after each row group (and at the end). */
class StreamWriter extends ByteWriter {
  constructor(private readonly push: (bytes: Uint8Array) => Promise<void>) {
    super(1 << 20)
  }

  async flush(): Promise<void> {
    const bytes = this.getBytes().slice()
    this.index = 0
    await this.push(bytes)
  }
}

/** The file's schema: one optional UTF-8 string column per export column. */
function schemaOf(header: readonly string[]): SchemaElement[] {
  return [
    { name: 'root', num_children: header.length },
    ...header.map((name): SchemaElement => ({
      name,
      type: 'BYTE_ARRAY',
      converted_type: 'UTF8',
      logical_type: { type: 'STRING' },
      repetition_type: 'OPTIONAL',
    })),
  ]
}

/**
 * A Parquet file of `header`'s string columns streamed into `out`, through `write` (which waits
 * for `out` to drain and fails if it closed early). Nothing is written before the first row group
 * but the magic bytes; the footer is written by `end`.
 */
export function parquetSink(header: readonly string[], write: (bytes: Uint8Array) => Promise<void>): RowSink {
  const writer = new StreamWriter(write)
  const file = new ParquetWriter({ writer, schema: schemaOf(header), createdBy: 'assay' })
  let columns: (string | null)[][] = header.map(() => [])
  let rows = 0
  let chars = 0
  const group = async (): Promise<void> => {
    if (rows === 0) return
    const columnData = header.map((name, i) => ({ name, data: columns[i] }))
    columns = header.map(() => [])
    const size = rows
    rows = 0
    chars = 0
    await file.write({ columnData, rowGroupSize: size })
  }
  return {
    async row(cells) {
      for (let i = 0; i < header.length; i++) {
        const cell = cells[i]
        columns[i].push(cell === '' ? null : cell)
        chars += cell?.length ?? 0
      }
      rows++
      if (rows >= PARQUET_GROUP_ROWS || chars >= GROUP_CHARS) await group()
    },
    async end() {
      await group()
      await file.finish()
      await writer.flush()
    },
  }
}
