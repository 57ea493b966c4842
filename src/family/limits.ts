/**
 * The caps every input meets, defined once, so that no input can make a command hang or exhaust
 * memory before the size guard (src/numeric/measure.ts checkSize) has seen it:
 *   depth        weight layers of any architecture (widths lists, convolutions + the dense layer)
 *   expression   characters and nesting (parentheses, brackets, unary chains) of a user expression
 * A cap refuses with one InputError line that names it.
 */
export const limits = {
  depth: 200,
  expressionLength: 2000,
  expressionNesting: 50,
} as const;
