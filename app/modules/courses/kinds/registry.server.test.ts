import { describe, expect, it } from 'vitest'
import { moduleKind } from '#db/schema'
import { moduleKindViews } from '~/components/courses/kinds'
import { moduleKinds } from './index'
import { moduleKindRegistry } from './registry.server'

describe('the module-kind registry', () => {
  it('names every kind the database knows, with a server definition and a view for each', () => {
    expect([...moduleKinds].sort()).toEqual([...moduleKind.enumValues].sort())
    for (const kind of moduleKinds) {
      expect(moduleKindRegistry[kind].kind).toBe(kind)
      expect(moduleKindViews[kind]).toBeTypeOf('function')
    }
  })
})
