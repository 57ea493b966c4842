/** A dense row-major matrix: entry (i, j) of an m × n matrix is data[i·n + j] (float64, or residues mod P). */
export interface Matrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}
