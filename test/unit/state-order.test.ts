import { describe, expect, it } from 'vitest'
import { stateOrder } from '../../shared/state-order'

const seq = (...states: string[]) => ({ states, weight: 1 })

describe('stateOrder', () => {
  it("takes a pipeline's steps in order", () => {
    expect(
      stateOrder([seq('decompose', 'retrieve', 'extract'), seq('decompose', 'retrieve', 'extract')], null, true),
    ).toEqual({ order: ['decompose', 'retrieve', 'extract'], source: 'steps', unfixed: [] })
  })

  it('infers an order from last success → first failure pairs, naming the states the data leaves unordered (first seen first)', () => {
    const t = stateOrder(
      [seq('b', 'c'), seq('a', 'b'), seq('c', 'e'), seq('c', 'd'), seq('d', 'f'), seq('e', 'f')],
      null,
      false,
    )
    expect(t).toEqual({ order: ['a', 'b', 'c', 'e', 'd', 'f'], source: 'inferred', unfixed: [['e', 'd']] })
  })

  it('a state seen alone (a pass through it) still has a place; a cycle is broken where the evidence against is least', () => {
    expect(stateOrder([seq('a', 'b'), seq('z')], null, false).order).toEqual(['a', 'b', 'z'])
    // b → c twice, c → b once (a loop in an agent): b first.
    const loop = stateOrder([seq('a', 'b', 'c'), seq('b', 'c'), seq('c', 'b')], null, false)
    expect(loop.order).toEqual(['a', 'b', 'c'])
  })

  it("keeps the user's order, with the states it leaves out after it in the inferred order", () => {
    expect(stateOrder([seq('x', 'y'), seq('b', 'a')], ['a', 'b'], false)).toEqual({
      order: ['a', 'b', 'x', 'y'],
      source: 'user',
      unfixed: [],
    })
    expect(stateOrder([seq('x', 'y')], [], false).source).toBe('inferred')
  })
})
