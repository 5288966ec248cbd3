/**
 * What an import does with splits, once its rows are written: "these items are the test set"
 * puts each labeled item of the file in that split; every other labeled item of the file's
 * criteria gets one at once (seeded, stratified: `placeClass`); and every move of an item from
 * one split to another is recorded, with a warning when it breaks what a judge relied on.
 */
import { basename } from 'node:path'
import type { Mapping, SplitName } from '../../../shared/import'
import type { Db } from '../db/open'
import type { Repos } from '../db/repos'
import { storedLabel, type importWriter } from '../db/repos/imports'
import { assign, placeClass, splitRank } from '../judge/splits'
import type { MappedLabel } from './mapping/row'

/** Moves listed per criterion in the events. */
const MAX_LISTED = 100

interface FirstLabels {
  criterion: string
  criterionId: number
  seed: number
  items: number[]
  ranks: number[]
  pass: boolean[]
}

export class ImportSplits {
  /** Items the import wrote to, new or joined, when "these items are the … set" is to place them. */
  private readonly written: Set<number> | null
  /**
   * Label columns whose criterion had no label before this import: their pass and fail labels on
   * new items, gathered as they are written (item, seeded rank, class), so that their splits are
   * placed from these without reading the whole criterion back.
   */
  private readonly first = new Map<number, FirstLabels>()
  private readonly moves: {
    criterion: string
    criterionId: number
    itemId: number
    externalId: string
    from: SplitName
    to: SplitName
  }[] = []
  private readonly mapping: Mapping
  private readonly source: string

  constructor(
    private readonly db: Db,
    private readonly repos: Repos,
    private readonly write: ReturnType<typeof importWriter>,
    private readonly request: { mapping: Mapping; split?: SplitName | null; file: string },
    private readonly at: string,
  ) {
    this.mapping = request.mapping
    this.source = basename(request.file)
    this.written = request.split ? new Set<number>() : null
    for (const [i, l] of this.mapping.labels.entries()) {
      if (this.mapping.labels.filter((x) => x.criterion === l.criterion).length > 1) continue
      const criterionId = write.criterion(l.criterion).id
      if (!repos.splits.hasLabels(criterionId))
        this.first.set(i, {
          criterion: l.criterion,
          criterionId,
          seed: repos.splits.ratios(criterionId).seed,
          items: [],
          ranks: [],
          pass: [],
        })
    }
  }

  /** A label written on a new item. */
  labeled(label: MappedLabel, itemId: number, externalId: string): void {
    const first = this.first.get(label.column)
    const verdict = storedLabel(label.verdict)
    if (!first || verdict === 'defer') return
    first.items.push(itemId)
    first.ranks.push(splitRank(first.seed, first.criterionId, externalId))
    first.pass.push(verdict === 'pass')
  }

  /** An item the import wrote to. */
  touched(itemId: number): void {
    this.written?.add(itemId)
  }

  /**
   * A split from the file (or "these items are the … set") for an item that may have another: the move
   * is remembered.
   */
  move(itemId: number, externalId: string, criterion: string, split: SplitName): void {
    const criterionId = this.write.criterion(criterion).id
    const from = this.write.moveSplit(itemId, criterionId, split)
    if (from !== null) this.moves.push({ criterion, criterionId, itemId, externalId, from, to: split })
  }

  /**
   * Places the splits once the rows are written; returns the warnings. A criterion's first
   * labels are placed from what was gathered, unless other rows may have labeled or placed
   * items of it (a join, a replaced row, a split from the file).
   */
  place(rows: { joined: boolean; replaced: boolean }): string[] {
    const warnings: string[] = []
    const m = this.mapping
    const criteria = [
      ...new Set([
        ...m.labels.map((l) => l.criterion),
        ...(m.states ? [m.states.criterion] : []),
        ...m.verdicts.map((v) => v.criterion),
        ...m.splits.map((s) => s.criterion),
      ]),
    ]
    const split = this.request.split ?? null
    if (split !== null && this.written) {
      let placed = 0
      for (const name of criteria) {
        for (const row of this.write.labeled(this.write.criterion(name).id)) {
          if (!this.written.has(row.id)) continue
          placed++
          this.move(row.id, row.externalId, name, split)
        }
      }
      if (placed === 0)
        warnings.push(
          `"These items are the ${split} set" placed no item: no item of this file has a human label (pass or fail), and only labeled items have a split.`,
        )
      else if (m.splits.length > 0)
        warnings.push(
          `"These items are the ${split} set" put its items in ${split}, in place of the file's split column.`,
        )
    }
    const d = {
      repos: this.repos,
      transaction: <T>(fn: () => T) => this.db.transaction(fn)(),
      now: this.at,
      place: this.write.placeSplit,
    }
    const gathered = !rows.joined && !rows.replaced && split === null
    for (const name of criteria) {
      const first = [...this.first.values()].find((f) => f.criterion === name)
      if (first && gathered && !m.splits.some((s) => s.criterion === name)) this.placeFirst(first)
      else assign(d, this.write.criterion(name).id)
      this.write.flush()
    }
    return [...warnings, ...this.recordMoves()]
  }

  /**
   * The splits of a criterion's first labels: `placeClass` on each class, as `assign` would read
   * them back. Its items go to `placeClass` already in rank order (its own sort then only checks
   * them: sorting 200 000 ranks with a comparator took a tenth of the import), and each class's
   * splits are written in item order, as the table's key runs (both classes merged into one item
   * order measured the same, and made the key's index 5 % larger).
   */
  private placeFirst(first: FirstLabels): void {
    const ratios = this.repos.splits.ratios(first.criterionId)
    for (const pass of [true, false]) {
      const ofClass: number[] = []
      for (let i = 0; i < first.items.length; i++) if (first.pass[i] === pass) ofClass.push(i)
      const ranked = byRank(first.ranks, Uint32Array.from(ofClass))
      const of = new Array<{ itemId: number; rank: number }>(ranked.length)
      for (let k = 0; k < ranked.length; k++) of[k] = { itemId: first.items[ranked[k]], rank: first.ranks[ranked[k]] }
      const splitOf = new Array<SplitName | undefined>(first.items.length)
      placeClass({ train: 0, dev: 0, test: 0 }, of, ratios).forEach((split, k) => (splitOf[ranked[k]] = split))
      for (const i of ofClass) {
        const split = splitOf[i]
        if (split) this.write.placeSplit(first.criterionId, first.items[i], split, first.seed)
      }
    }
  }

  /**
   * Every move is in the events; a move that breaks what a judge relied on is a warning: out of a
   * test split whose results were viewed, or a few-shot example out of train (into dev or test,
   * where its judge's results would count it).
   */
  private recordMoves(): string[] {
    const warnings: string[] = []
    const byCriterion = new Map<number, typeof this.moves>()
    for (const move of this.moves) {
      const list = byCriterion.get(move.criterionId)
      if (list) list.push(move)
      else byCriterion.set(move.criterionId, [move])
    }
    const ids = (moves: typeof this.moves) =>
      moves
        .slice(0, 5)
        .map((x) => x.externalId)
        .join(', ')
    const items = (n: number) => `${n} item${n === 1 ? '' : 's'}`
    for (const [criterionId, moves] of byCriterion) {
      const criterion = moves[0].criterion
      const viewed = this.write.testViewed(criterionId)
      this.repos.project.log(
        'splits.moved',
        {
          criterionId,
          criterion,
          source: this.source,
          count: moves.length,
          moves: moves.slice(0, MAX_LISTED).map((x) => ({ id: x.externalId, from: x.from, to: x.to })),
          testViewed: viewed,
        },
        this.at,
      )
      const outOfTest = moves.filter((x) => x.from === 'test')
      if (viewed && outOfTest.length > 0) {
        warnings.push(
          `${items(outOfTest.length)} of "${criterion}" moved out of the test split (first: ${ids(outOfTest)}) after ${viewed}'s test results were viewed: those results no longer describe a held-out set. The move is recorded in the project's events.`,
        )
      }
      const shots = this.write.fewShotItems(criterionId)
      const shown = moves.filter((x) => x.from === 'train' && shots.has(x.itemId))
      if (shown.length > 0) {
        warnings.push(
          `${items(shown.length)} of "${criterion}" that a judge shows as few-shot examples moved out of train into ${[...new Set(shown.map((x) => x.to))].join(' and ')} (first: ${ids(shown)}): that judge's results there now count items it was shown. Make a new version of the judge with other examples. The move is recorded in the project's events.`,
        )
      }
    }
    return warnings
  }
}

/**
 * `indices` in ascending order of their `ranks` (32-bit), ties in the order given: a stable
 * radix sort, 16 bits a pass, that uses `indices` as scratch space (pass a copy).
 */
function byRank(ranks: readonly number[], indices: Uint32Array): Uint32Array {
  let from: Uint32Array = indices
  let to: Uint32Array = new Uint32Array(indices.length)
  for (const shift of [0, 16]) {
    const start = new Uint32Array(65537)
    for (const i of from) start[((ranks[i] >>> shift) & 0xffff) + 1]++
    for (let b = 1; b <= 65536; b++) start[b] += start[b - 1]
    for (const i of from) to[start[(ranks[i] >>> shift) & 0xffff]++] = i
    ;[from, to] = [to, from]
  }
  return from
}
