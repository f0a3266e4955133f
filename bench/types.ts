/** One row of the single table `pnpm bench` prints. */
export interface BenchRow {
  bench: string;
  case: string;
  metric: string;
  value: string;
  /** The goal, as written in the issue (e.g. "<= 150 ms"). */
  goal?: string;
  /** Whether the value meets the goal; omitted when there is no goal. */
  pass?: boolean;
}

/** A benchmark module's default export. It starts and stops whatever real servers it needs. */
export type Bench = () => Promise<BenchRow[]>;

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
