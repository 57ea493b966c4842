/**
 * A decision procedure for min-polynomial identities over positive integers:
 *
 *     E₁(x) = E₂(x)  for every x ∈ Z_{≥1}^n satisfying the assumptions,
 *
 * where E₁, E₂ are built from polynomials, min, max, |·| and Iverson brackets whose arguments
 * differ pairwise by k(x − y) + c (symbol differences, the fragment rank formulas live in).
 *
 * Method (case splitting on the orderings of the symbols): an atom such as min(a₁, …, aₙ) is
 * split into the cases "aᵢ is the first minimal argument" (aᵢ < aⱼ for j < i, aᵢ ≤ aⱼ for j > i),
 * so ties are covered exactly once; each case adds difference constraints to the region and
 * replaces the atom by aᵢ. Atoms the region already decides are replaced without a split, and
 * empty regions are dropped. When no atom is left each side is a polynomial; with the region's
 * equalities substituted, the case holds iff the two normal forms agree.
 * If a case's polynomials differ, an integer point of its region where they differ is searched
 * (seeded); it is checked against the original expressions by direct evaluation, so a refutation
 * never depends on the case logic. Regions that are thin (a difference bounded on both sides) are
 * split into their finitely many values first, after which a nonzero polynomial cannot vanish on
 * all integer points of the region.
 *
 * Answer: a proof (the list of cases, each with its conditions, the atoms' values and the
 * polynomial both sides reduce to) or a counterexample (a point and both values).
 */
import { InputError } from '../errors.js';
import { RandomStream } from '../numeric/random.js';
import { relationOf, symbolsOf, toText, view, type Expr, type Relation } from './expression.js';
import { MinPolynomialCompiler, atomsIn, evaluateSkeleton, skeletonPolynomial, type Atom, type Skeleton } from './minPolynomial.js';
import { differenceForm, OrderRegion, type DifferenceForm } from './orderRegion.js';
import { Polynomial, symbolOrder } from './polynomial.js';
import * as Q from './rational.js';

export interface IdentityOptions {
  /** relations assumed to hold (e.g. r <= d); chained relations allowed */
  assumptions?: Expr[];
  /** seed for the counterexample search (default 1) */
  seed?: number;
  /** give up (InputError) beyond this many cases (default 50000) */
  maxCases?: number;
}

export interface CaseCondition {
  text: string;
  tex: string;
}

export interface ProofCase {
  /** the constraints that define the case (besides the assumptions) */
  conditions: CaseCondition[];
  /** the value each split atom takes in the case, e.g. "min(r, M1, K) = M1" */
  choices: CaseCondition[];
  /** both sides reduce to these polynomials (equal in a proven case) */
  lhs: Polynomial;
  rhs: Polynomial;
}

export interface Proof {
  verdict: 'proven';
  lhs: Expr;
  rhs: Expr;
  symbols: string[];
  assumptions: string[];
  cases: ProofCase[];
}

export interface Refutation {
  verdict: 'refuted';
  lhs: Expr;
  rhs: Expr;
  symbols: string[];
  assumptions: string[];
  /** an integer point satisfying the assumptions where the two sides differ */
  point: Record<string, number>;
  lhsValue: string;
  rhsValue: string;
  /** the case the point lies in */
  failingCase: ProofCase;
}

export type IdentityResult = Proof | Refutation;

interface Assumption {
  relation: Relation;
  sides: [Skeleton, Skeleton];
  text: string;
}

interface CaseState {
  region: OrderRegion;
  resolved: Map<number, Polynomial>;
  conditions: CaseCondition[];
  choices: CaseCondition[];
  pending: Assumption[];
}

/** lo < hi (strict) or lo ≤ hi */
interface Constraint {
  lo: Polynomial;
  hi: Polynomial;
  strict: boolean;
}

interface Option {
  constraints: Constraint[];
  shown: CaseCondition[];
}

const negation: Record<Relation, Relation> = { '<=': '>', '<': '>=', '>=': '<', '>': '<=', '==': '!=', '!=': '==' };

/** The ways `a relation b` can hold (or fail, holds = false), each a conjunction of constraints. */
function optionsFor(relation: Relation, a: Polynomial, b: Polynomial, holds: boolean): Option[] {
  const r = holds ? relation : negation[relation];
  const le = (lo: Polynomial, hi: Polynomial): Constraint => ({ lo, hi, strict: false });
  const lt = (lo: Polynomial, hi: Polynomial): Constraint => ({ lo, hi, strict: true });
  switch (r) {
    case '<=':
      return [{ constraints: [le(a, b)], shown: [condition(a, '<=', b)] }];
    case '<':
      return [{ constraints: [lt(a, b)], shown: [condition(a, '<', b)] }];
    case '>=':
      return [{ constraints: [le(b, a)], shown: [condition(a, '>=', b)] }];
    case '>':
      return [{ constraints: [lt(b, a)], shown: [condition(a, '>', b)] }];
    case '==':
      return [{ constraints: [le(a, b), le(b, a)], shown: [condition(a, '==', b)] }];
    case '!=':
      return [
        { constraints: [lt(a, b)], shown: [condition(a, '<', b)] },
        { constraints: [lt(b, a)], shown: [condition(a, '>', b)] },
      ];
  }
}

const relationSymbol: Record<Relation, [string, string]> = {
  '<': ['<', '<'],
  '<=': ['<=', '\\le'],
  '>': ['>', '>'],
  '>=': ['>=', '\\ge'],
  '==': ['==', '='],
  '!=': ['!=', '\\ne'],
};

const texSymbol = (name: string): string => {
  const m = /^([A-Za-z])(\d+)$/.exec(name);
  return m ? `${m[1]}_{${m[2]}}` : name.length === 1 ? name : `\\mathrm{${name}}`;
};

function condition(a: Polynomial, relation: Relation, b: Polynomial): CaseCondition {
  const [text, tex] = relationSymbol[relation];
  return { text: `${a} ${text} ${b}`, tex: `${a.toTex(texSymbol)} ${tex} ${b.toTex(texSymbol)}` };
}

class Decider {
  readonly compiler = new MinPolynomialCompiler();
  readonly cases: ProofCase[] = [];
  private readonly stream: RandomStream;
  private readonly lhs: Skeleton;
  private readonly rhs: Skeleton;
  refutation?: { point: Map<string, number>; lhs: Q.Rational; rhs: Q.Rational; failingCase: ProofCase };

  constructor(
    lhs: Expr,
    rhs: Expr,
    private readonly assumptionExprs: Expr[],
    seed: number,
    private readonly maxCases: number,
  ) {
    this.lhs = this.compiler.compile(lhs, 'left side');
    this.rhs = this.compiler.compile(rhs, 'right side');
    this.stream = new RandomStream(seed);
  }

  assumptions(): Assumption[] {
    const result: Assumption[] = [];
    for (const e of this.assumptionExprs) {
      let node = e;
      while (node.type === 'ParenthesisNode') node = view.parenthesis(node).content;
      const pairs: [Relation, Expr, Expr][] = [];
      if (node.type === 'RelationalNode') {
        const { conditionals, params } = view.relational(node);
        conditionals.forEach((fn, i) => pairs.push([relationOf(fn)!, params[i]!, params[i + 1]!]));
      } else if (node.type === 'OperatorNode' && relationOf(view.operator(node).fn)) {
        const { fn, args } = view.operator(node);
        pairs.push([relationOf(fn)!, args[0]!, args[1]!]);
      } else {
        throw new InputError(`assumption "${toText(e)}" is not a comparison (use <, <=, >, >=, ==, !=)`);
      }
      for (const [relation, a, b] of pairs) {
        result.push({ relation, sides: [this.compiler.compile(a, 'assumption'), this.compiler.compile(b, 'assumption')], text: `${toText(a)} ${relation} ${toText(b)}` });
      }
    }
    return result;
  }

  private get atoms(): Atom[] {
    return this.compiler.atoms;
  }

  private polynomial(s: Skeleton, state: CaseState): Polynomial {
    return skeletonPolynomial(s, (id) => state.resolved.get(id)!);
  }

  /** a ≤ b in the fragment, or an InputError naming the atom that leaves it */
  private form(a: Polynomial, b: Polynomial, where: string): DifferenceForm {
    const form = differenceForm(a, b);
    if (!form) {
      throw new InputError(
        `${where} compares ${a} with ${b}; their difference is not of the form k·(x − y) + c, so the comparison is outside the decidable fragment`,
      );
    }
    return form;
  }

  private decideLessEqual(region: OrderRegion, a: Polynomial, b: Polynomial): boolean | undefined {
    const form = differenceForm(a, b);
    return form ? region.decide(form) : undefined;
  }

  /** the polynomial an atom equals everywhere in the region, if the region decides it */
  private tryResolve(atom: Atom, state: CaseState): Polynomial | undefined {
    const equalities = state.region.equalities();
    const args = atom.args.map((a) => state.region.normalize(this.polynomial(a, state), equalities));
    const region = state.region;
    switch (atom.type) {
      case 'min':
      case 'max': {
        const below = (x: Polynomial, y: Polynomial) => (atom.type === 'min' ? this.decideLessEqual(region, x, y) : this.decideLessEqual(region, y, x));
        for (let i = 0; i < args.length; i++) {
          if (args.every((other, j) => j === i || below(args[i]!, other) === true)) return args[i];
        }
        return undefined;
      }
      case 'abs': {
        const sign = this.decideLessEqual(region, Polynomial.zero, args[0]!);
        return sign === undefined ? undefined : sign ? args[0] : args[0]!.negate();
      }
      case 'compare': {
        const truth = this.decideRelation(region, atom.relation!, args[0]!, args[1]!);
        return truth === undefined ? undefined : Polynomial.constant(truth ? 1 : 0);
      }
    }
  }

  private decideRelation(region: OrderRegion, relation: Relation, a: Polynomial, b: Polynomial): boolean | undefined {
    const le = this.decideLessEqual(region, a, b);
    const ge = this.decideLessEqual(region, b, a);
    const lt = this.decideLessEqual(region, a, b.minus(Polynomial.one));
    const gt = this.decideLessEqual(region, b, a.minus(Polynomial.one));
    switch (relation) {
      case '<=':
        return le;
      case '>=':
        return ge;
      case '<':
        return lt;
      case '>':
        return gt;
      case '==':
        return le === true && ge === true ? true : le === false || ge === false ? false : undefined;
      case '!=':
        return le === true && ge === true ? false : le === false || ge === false ? true : undefined;
    }
  }

  /** unresolved atoms still reachable from the sides and the pending assumptions */
  private needed(state: CaseState): Set<number> {
    const stop = (id: number) => state.resolved.has(id);
    const set = new Set<number>();
    atomsIn(this.lhs, this.atoms, stop, set);
    atomsIn(this.rhs, this.atoms, stop, set);
    for (const a of state.pending) for (const s of a.sides) atomsIn(s, this.atoms, stop, set);
    return set;
  }

  private isReady(id: number, state: CaseState): boolean {
    const stop = (x: number) => state.resolved.has(x);
    return this.atoms[id]!.args.every((arg) => atomsIn(arg, this.atoms, stop).size === 0);
  }

  private readySides(a: Assumption, state: CaseState): boolean {
    const stop = (x: number) => state.resolved.has(x);
    return a.sides.every((s) => atomsIn(s, this.atoms, stop).size === 0);
  }

  /** adds the constraints; false if the region becomes empty */
  private constrain(region: OrderRegion, constraints: Constraint[], where: string): boolean {
    for (const { lo, hi, strict } of constraints) {
      if (!region.addLessEqual(this.form(lo, strict ? hi.minus(Polynomial.one) : hi, where))) return false;
    }
    return true;
  }

  explore(state: CaseState): void {
    if (this.refutation) return;
    // settle what the region already decides; apply assumptions as soon as their sides are polynomials
    for (let progress = true; progress; ) {
      progress = false;
      for (const assumption of [...state.pending]) {
        if (!this.readySides(assumption, state)) continue;
        const [a, b] = assumption.sides.map((s) => state.region.normalize(this.polynomial(s, state))) as [Polynomial, Polynomial];
        const truth = this.decideRelation(state.region, assumption.relation, a, b);
        state.pending = state.pending.filter((x) => x !== assumption);
        progress = true;
        if (truth === false) return; // the assumptions exclude this case
        if (truth === true) continue;
        const options = optionsFor(assumption.relation, a, b, true);
        if (options.length === 1) {
          if (!this.constrain(state.region, options[0]!.constraints, `assumption ${assumption.text}`)) return;
        } else {
          for (const option of options) {
            const child = this.child(state);
            if (this.constrain(child.region, option.constraints, `assumption ${assumption.text}`)) this.explore(child);
          }
          return;
        }
      }
      for (const id of this.needed(state)) {
        if (!this.isReady(id, state)) continue;
        const value = this.tryResolve(this.atoms[id]!, state);
        if (value !== undefined) {
          state.resolved.set(id, value);
          progress = true;
        }
      }
    }
    const open = [...this.needed(state)].filter((id) => this.isReady(id, state));
    if (open.length > 0) {
      // split the atom with the most arguments first: its choice settles the most others
      const atom = open.map((id) => this.atoms[id]!).sort((a, b) => b.args.length - a.args.length || a.id - b.id)[0]!;
      this.split(atom, state);
      return;
    }
    this.leaf(state);
  }

  private child(state: CaseState): CaseState {
    return {
      region: state.region.clone(),
      resolved: new Map(state.resolved),
      conditions: [...state.conditions],
      choices: [...state.choices],
      pending: [...state.pending],
    };
  }

  private split(atom: Atom, state: CaseState): void {
    const equalities = state.region.equalities();
    const args = atom.args.map((a) => state.region.normalize(this.polynomial(a, state), equalities));
    const where = `"${atom.text}"`;
    const branches: (Option & { value: Polynomial })[] = [];
    if (atom.type === 'min' || atom.type === 'max') {
      const below = (x: Polynomial, y: Polynomial) =>
        (atom.type === 'min' ? this.decideLessEqual(state.region, x, y) : this.decideLessEqual(state.region, y, x)) === true;
      // after the region's equalities, equal arguments are identical: drop repeats, then arguments
      // another argument always beats (the extremal value is still attained by a kept one)
      const distinct: Polynomial[] = [];
      for (const a of args) if (!distinct.some((k) => k.equals(a))) distinct.push(a);
      const kept = distinct.filter((a) => !distinct.some((b) => b !== a && below(b, a)));
      kept.forEach((a, i) => {
        const constraints: Constraint[] = [];
        const shown: CaseCondition[] = [];
        kept.forEach((b, j) => {
          if (j === i) return;
          const strict = j < i; // a is the first extremal argument
          const [lo, hi] = atom.type === 'min' ? [a, b] : [b, a];
          constraints.push({ lo, hi, strict });
          shown.push(condition(lo, strict ? '<' : '<=', hi));
        });
        branches.push({ constraints, shown, value: a });
      });
    } else if (atom.type === 'abs') {
      const x = args[0]!;
      branches.push({ constraints: [{ lo: Polynomial.zero, hi: x, strict: false }], shown: [condition(x, '>=', Polynomial.zero)], value: x });
      branches.push({ constraints: [{ lo: x, hi: Polynomial.zero, strict: true }], shown: [condition(x, '<', Polynomial.zero)], value: x.negate() });
    } else {
      const [a, b] = args as [Polynomial, Polynomial];
      for (const holds of [true, false]) {
        for (const option of optionsFor(atom.relation!, a, b, holds)) branches.push({ ...option, value: Polynomial.constant(holds ? 1 : 0) });
      }
    }
    for (const branch of branches) {
      if (this.refutation) return;
      const child = this.child(state);
      if (!this.constrain(child.region, branch.constraints, where)) continue;
      child.resolved.set(atom.id, branch.value);
      child.conditions.push(...branch.shown);
      // a comparison's value is its Iverson bracket: (a == b) = 1
      const [shown, shownTex] = atom.type === 'compare' ? [`(${atom.text})`, `\\left[${atom.tex}\\right]`] : [atom.text, atom.tex];
      child.choices.push({ text: `${shown} = ${branch.value}`, tex: `${shownTex} = ${branch.value.toTex(texSymbol)}` });
      this.explore(child);
    }
  }

  private leaf(state: CaseState): void {
    const equalities = state.region.equalities();
    const lhs = state.region.normalize(this.polynomial(this.lhs, state), equalities);
    const rhs = state.region.normalize(this.polynomial(this.rhs, state), equalities);
    const record: ProofCase = { conditions: state.conditions, choices: state.choices, lhs, rhs };
    if (lhs.equals(rhs)) {
      this.cases.push(record);
      if (this.cases.length > this.maxCases) throw new InputError(`the identity needs more than ${this.maxCases} cases; giving up`);
      return;
    }
    const difference = lhs.minus(rhs);
    for (const spread of [3, 10, 100, 1000, 100000]) {
      for (let attempt = 0; attempt < 30; attempt++) {
        const point = state.region.samplePoint(this.stream, spread);
        const exact = new Map([...point].map(([s, v]) => [s, Q.rational(v)]));
        if (Q.isZero(difference.evaluate(exact))) continue;
        const left = evaluateSkeleton(this.lhs, this.atoms, exact);
        const right = evaluateSkeleton(this.rhs, this.atoms, exact);
        if (Q.equals(left, right)) throw new Error(`internal: case polynomials differ at ${[...point]} but the expressions agree`);
        this.refutation = { point, lhs: left, rhs: right, failingCase: record };
        return;
      }
    }
    // a thin region: split a difference bounded on both sides into its values
    const pair = state.region.boundedPair();
    if (!pair) throw new Error(`internal: no counterexample found in a case whose polynomials differ (${difference})`);
    const x = pair.x ? Polynomial.symbol(pair.x) : Polynomial.zero;
    const y = pair.y ? Polynomial.symbol(pair.y) : Polynomial.zero;
    for (let t = pair.lo; t <= pair.hi; t++) {
      const child = this.child(state);
      const target = x.plus(Polynomial.constant(t));
      if (!this.constrain(child.region, [{ lo: y, hi: target, strict: false }, { lo: target, hi: y, strict: false }], 'a thin region')) continue;
      child.conditions.push(condition(y, '==', target));
      this.leaf(child);
      if (this.refutation) return;
    }
  }
}

/**
 * Decides E₁ = E₂ over positive integers under the assumptions. Throws InputError when an
 * expression leaves the fragment (a comparison of arguments whose difference is not k(x − y) + c).
 */
export function decideIdentity(lhs: Expr, rhs: Expr, options: IdentityOptions = {}): IdentityResult {
  const assumptionExprs = options.assumptions ?? [];
  const decider = new Decider(lhs, rhs, assumptionExprs, options.seed ?? 1, options.maxCases ?? 50_000);
  const pending = decider.assumptions();
  const symbols = [...new Set([lhs, rhs, ...assumptionExprs].flatMap((e) => symbolsOf(e)))].sort(symbolOrder);
  const state: CaseState = { region: OrderRegion.positive(symbols), resolved: new Map(), conditions: [], choices: [], pending };
  decider.explore(state);
  const assumptions = pending.map((a) => a.text);
  if (decider.refutation) {
    const { point, lhs: l, rhs: r, failingCase } = decider.refutation;
    return {
      verdict: 'refuted',
      lhs,
      rhs,
      symbols,
      assumptions,
      point: Object.fromEntries(symbols.map((s) => [s, point.get(s)!])),
      lhsValue: Q.toString(l),
      rhsValue: Q.toString(r),
      failingCase,
    };
  }
  if (decider.cases.length === 0) {
    throw new InputError(`the assumptions (${assumptions.join(', ')}) leave no positive-integer point; nothing to prove`);
  }
  return { verdict: 'proven', lhs, rhs, symbols, assumptions, cases: decider.cases };
}
