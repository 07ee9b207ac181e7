import type { DurableStateDefinition } from '@coffee-es/core';

export type Branch = { name: string; city: string };

export const branchDefinition = {
  type: 'Branch',
  schemaVersion: 1,
} as const satisfies DurableStateDefinition<Branch>;

export interface BranchView {
  readonly branchId: string;
  readonly name: string;
  readonly city: string;
  readonly revision: number;
}

export function branchView(branchId: string, branch: Branch, revision: number): BranchView {
  return { branchId, name: branch.name, city: branch.city, revision };
}
