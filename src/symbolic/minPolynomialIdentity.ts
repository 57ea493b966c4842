/**
 * A decision procedure for min-polynomial identities and inequalities over positive integers:
 *
 *     E₁(x) ⋈ E₂(x)  for every x ∈ Z_{≥1}^n satisfying the assumptions,  ⋈ ∈ {=, ≤, <, ≥, >},
 *
 * where E₁, E₂ are built from polynomials, min, max, |·| and Iverson brackets.
 *
 * Method (case splitting): an atom such as min(a₁, …, aₙ) is split into the cases "aᵢ is the
 * first minimal argument" (aᵢ < aⱼ for j < i, aᵢ ≤ aⱼ for j > i), so ties are covered exactly
 * once; each case adds these constraints to its region (src/symbolic/integerRegion.ts) and
 * replaces the atom by aᵢ. Atoms the region already decides are replaced without a split, and
 * regions shown to have no integer point are dropped. Differences k(x − y) + c are decided
 * exactly; other linear forms (min(a + b, c)) by Fourier–Motzkin with integer tightening; products
 * (min(a², b²), min(c·k, n)) by positivity certificates (src/symbolic/positivity.ts). All three
 * are sound: a comparison none of them decides is split, never guessed.
 * When no atom is left each side is a polynomial. An identity case holds iff the two normal forms
 * agree (with the region's equalities substituted); an inequality case holds when the difference
 * has a nonnegativity certificate on the region.
 * A case that does not hold is searched (seeded) for an integer point of its region where the
 * original expressions violate the relation; the point is checked by direct exact evaluation, so
 * a refutation never depends on the case logic. Regions of difference constraints that are thin
 * (a difference bounded on both sides) are split into their finitely many values first, after
 * which a nonzero polynomial cannot vanish on all integer points; other regions are split on
 * variables of small range. A case that is neither proven nor refuted makes the answer
 * "unknown", with the reason — as does reaching the cap on the number of cases.
 *
 * Answer: a proof (the list of cases, each with its conditions, the atoms' values and the
 * polynomials both sides reduce to), a counterexample (a point and both values), or unknown.
 */
import { InputError } from '../errors.js';
import { RandomStream } from '../numeric/random.js';
import { relationOf, symbolsOf, toText, view, type Expr, type Relation } from './expression.js';
import { MinPolynomialCompiler, atomsIn, evaluateSkeleton, skeletonPolynomial, type Atom, type Skeleton } from './minPolynomial.js';
import { IntegerRegion } from './integerRegion.js';
import { differenceForm } from './orderRegion.js';
import { primitive } from './linearInequalities.js';
import { Polynomial, symbolOrder } from './polynomial.js';
import * as Q from './rational.js';

export interface IdentityOptions {
  /** relations assumed to hold (e.g. r <= d); chained relations allowed */
  assumptions?: Expr[];
  /** seed for the counterexample search (default 1) */
  seed?: number;
  /** answer "unknown" beyond this many cases (default 50000) */
  maxCases?: number;
  /** the relation to decide between the two sides (default '==', an identity) */
  relation?: SideRelation;
  /** look for a small violating point before splitting (default true; false: only the cases' own search) */
  quickSearch?: boolean;
}

/** the relations prove decides between its two sides */
export type SideRelation = '==' | '<=' | '<' | '>=' | '>';

export interface CaseCondition {
  text: string;
  tex: string;
}

export interface ProofCase {
  /** the constraints that define the case (besides the assumptions) */
  conditions: CaseCondition[];
  /** the value each split atom takes in the case, e.g. "min(r, M1, K) = M1" */
  choices: CaseCondition[];
  /** both sides reduce to these polynomials (equal in a proven case of an identity) */
  lhs: Polynomial;
  rhs: Polynomial;
  /** for an inequality: why rhs − lhs (or lhs − rhs) is nonnegative in the case */
  certificate?: string;
}

export interface Proof {
  verdict: 'proven';
  relation: SideRelation;
  lhs: Expr;
  rhs: Expr;
  symbols: string[];
  assumptions: string[];
  cases: ProofCase[];
}

export interface Refutation {
  verdict: 'refuted';
  relation: SideRelation;
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

/** neither proven nor refuted: the reason, the cases proven and the cases left open */
export interface Undecided {
  verdict: 'unknown';
  relation: SideRelation;
  lhs: Expr;
  rhs: Expr;
  symbols: string[];
  assumptions: string[];
  reason: string;
  cases: ProofCase[];
  open: { case: ProofCase; reason: string }[];
}

export type IdentityResult = Proof | Refutation | Undecided;

interface Assumption {
  relation: Relation;
  sides: [Skeleton, Skeleton];
  text: string;
}

interface CaseState {
  region: IntegerRegion;
  resolved: Map<number, Polynomial>;
  conditions: CaseCondition[];
  choices: CaseCondition[];
  pending: Assumption[];
  /** splits on the order of two symbols made at a leaf that had no certificate */
  orderSplits: number;
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

/** p ≤ 0 exactly when lo < hi (strict) or lo ≤ hi, at integer points: lo − hi scaled to integer coefficients, plus 1 if strict */
function nonpositiveForm({ lo, hi, strict }: Constraint): Polynomial {
  const difference = lo.minus(hi);
  return strict ? primitive(difference).plus(Polynomial.one) : difference;
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

/** box searched for counterexamples when a region is not a pure order: at most this many points */
const boxPoints = 4096;
/** a variable whose range in a case is at most this wide is split into its values before giving up */
const pinnableRange = 16;
/** random points of mixed scales the quick search tries before splitting into cases */
const mixedScalePoints = 2000;
/** a leaf without a certificate is split on the order of two of its symbols at most this many times */
const maximumOrderSplits = 6;

class Decider {
  readonly compiler = new MinPolynomialCompiler();
  readonly cases: ProofCase[] = [];
  readonly open: { case: ProofCase; reason: string }[] = [];
  private readonly stream: RandomStream;
  private readonly lhs: Skeleton;
  private readonly rhs: Skeleton;
  private steps = 0;
  refutation?: { point: Map<string, number>; lhs: Q.Rational; rhs: Q.Rational; failingCase: ProofCase };
  /** why the search stopped early (the cap) */
  capped?: string;
  assumptionList: Assumption[] = [];
  /** a point known to violate the relation: only the branches containing it are explored */
  focus?: Map<string, number>;

  constructor(
    lhs: Expr,
    rhs: Expr,
    private readonly assumptionExprs: Expr[],
    seed: number,
    private readonly maxCases: number,
    readonly relation: SideRelation,
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
    this.assumptionList = result;
    return result;
  }

  private get atoms(): Atom[] {
    return this.compiler.atoms;
  }

  private stopped(): boolean {
    return this.refutation !== undefined || this.capped !== undefined || this.restart !== undefined;
  }

  /** a small violating point found at the first case that did not hold: explore again, following it */
  restart?: Map<string, number>;
  private looked = false;
  quickSearch = true;

  private polynomial(s: Skeleton, state: CaseState): Polynomial {
    return skeletonPolynomial(s, (id) => state.resolved.get(id)!);
  }

  private decideLessEqual(region: IntegerRegion, a: Polynomial, b: Polynomial, strict = false): boolean | undefined {
    return region.decideNonpositive(nonpositiveForm({ lo: a, hi: b, strict }));
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
          if (args.every((other, j) => j === i || other.equals(args[i]!) || below(args[i]!, other) === true)) return args[i];
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

  private decideRelation(region: IntegerRegion, relation: Relation, a: Polynomial, b: Polynomial): boolean | undefined {
    const le = this.decideLessEqual(region, a, b);
    const ge = this.decideLessEqual(region, b, a);
    switch (relation) {
      case '<=':
        return le;
      case '>=':
        return ge;
      case '<':
        return this.decideLessEqual(region, a, b, true);
      case '>':
        return this.decideLessEqual(region, b, a, true);
      case '==':
        return le === true && ge === true ? true : le === false || ge === false ? false : undefined;
      case '!=':
        return le === true && ge === true ? false : le === false || ge === false ? true : undefined;
    }
  }

  /**
   * A min/max settled by the region through a comparison outside the difference fragment is
   * shown among the case's values, with the certificate of each comparison it needed.
   */
  private explainResolution(atom: Atom, value: Polynomial, state: CaseState): void {
    if (atom.type !== 'min' && atom.type !== 'max') return;
    const equalities = state.region.equalities();
    const args = atom.args.map((a) => state.region.normalize(this.polynomial(a, state), equalities));
    const reasons: string[] = [];
    for (const other of args) {
      if (other.equals(value)) continue;
      const gap = atom.type === 'min' ? other.minus(value) : value.minus(other);
      if (gap.degree() <= 1 && differenceForm(gap, Polynomial.zero)) continue;
      reasons.push(state.region.nonnegative(gap) ?? `${gap} >= 0`);
    }
    if (reasons.length === 0) return;
    state.choices.push({ text: `${atom.text} = ${value} (${reasons.join('; ')})`, tex: `${atom.tex} = ${value.toTex(texSymbol)}` });
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

  /** adds the constraints; false if the region is shown to be empty (or, with a focus, misses it) */
  private constrain(region: IntegerRegion, constraints: Constraint[]): boolean {
    if (this.focus) {
      const exact = new Map([...this.focus].map(([s, v]) => [s, Q.rational(v)]));
      if (constraints.some((c) => Q.compare(nonpositiveForm(c).evaluate(exact), Q.zero) > 0)) return false;
    }
    for (const c of constraints) if (!region.addNonpositive(nonpositiveForm(c))) return false;
    return true;
  }

  /**
   * A violating point among small ones (a box, then seeded random points), checked on the
   * original expressions and assumptions; the exploration then follows it to its case.
   */
  quickCounterexample(symbols: readonly string[]): Map<string, number> | undefined {
    const violates = (point: Map<string, number>): boolean => {
      const exact = new Map([...point].map(([s, v]) => [s, Q.rational(v)]));
      if (!this.assumptionsHold(exact)) return false;
      return !this.holds(evaluateSkeleton(this.lhs, this.atoms, exact), evaluateSkeleton(this.rhs, this.atoms, exact));
    };
    const side = Math.max(1, Math.min(8, Math.floor(Math.pow(256, 1 / Math.max(1, symbols.length)))));
    const total = Math.pow(side, symbols.length);
    for (let index = 0; index < total; index++) {
      const point = new Map<string, number>();
      let rest = index;
      for (const s of symbols) {
        point.set(s, 1 + (rest % side));
        rest = Math.floor(rest / side);
      }
      if (violates(point)) return point;
    }
    for (let attempt = 0; attempt < 64; attempt++) {
      const point = new Map(symbols.map((s) => [s, 1 + this.stream.integer(0, attempt < 32 ? 9 : 99)]));
      if (violates(point)) return point;
    }
    // with many symbols the box is a single point: mixed scales (each symbol small or large on its
    // own), where a term that needs some sizes far above others becomes the extremal one
    for (let attempt = 0; attempt < mixedScalePoints; attempt++) {
      const point = new Map(symbols.map((s) => [s, 1 + this.stream.integer(0, [2, 9, 99][this.stream.integer(0, 2)]!)]));
      if (violates(point)) return point;
    }
    return undefined;
  }

  /** counts the work; false (and the reason recorded) once the cap is reached */
  private step(): boolean {
    this.steps++;
    const leaves = this.cases.length + this.open.length;
    if (leaves > this.maxCases) this.capped = `too many cases (${leaves} > ${this.maxCases})`;
    else if (this.steps > 20 * this.maxCases) this.capped = `too many case splits (${this.steps} > ${20 * this.maxCases})`;
    return this.capped === undefined;
  }

  explore(state: CaseState): void {
    if (this.stopped() || !this.step()) return;
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
          if (!this.constrain(state.region, options[0]!.constraints)) return;
        } else {
          for (const option of options) {
            const child = this.child(state);
            if (this.constrain(child.region, option.constraints)) this.explore(child);
          }
          return;
        }
      }
      for (const id of this.needed(state)) {
        if (!this.isReady(id, state)) continue;
        const value = this.tryResolve(this.atoms[id]!, state);
        if (value !== undefined) {
          state.resolved.set(id, value);
          this.explainResolution(this.atoms[id]!, value, state);
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
      orderSplits: state.orderSplits,
    };
  }

  private split(atom: Atom, state: CaseState): void {
    const equalities = state.region.equalities();
    const args = atom.args.map((a) => state.region.normalize(this.polynomial(a, state), equalities));
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
      if (this.stopped()) return;
      const child = this.child(state);
      if (!this.constrain(child.region, branch.constraints)) continue;
      child.resolved.set(atom.id, branch.value);
      child.conditions.push(...branch.shown);
      // a comparison's value is its Iverson bracket: (a == b) = 1
      const [shown, shownTex] = atom.type === 'compare' ? [`(${atom.text})`, `\\left[${atom.tex}\\right]`] : [atom.text, atom.tex];
      child.choices.push({ text: `${shown} = ${branch.value}`, tex: `${shownTex} = ${branch.value.toTex(texSymbol)}` });
      this.explore(child);
    }
  }

  /** the polynomial that must be ≥ 0 for an inequality case to hold (integer points) */
  private gap(lhs: Polynomial, rhs: Polynomial): Polynomial {
    switch (this.relation) {
      case '<=':
        return rhs.minus(lhs);
      case '<':
        return primitive(rhs.minus(lhs)).minus(Polynomial.one);
      case '>=':
        return lhs.minus(rhs);
      case '>':
        return primitive(lhs.minus(rhs)).minus(Polynomial.one);
      case '==':
        throw new Error('internal: an identity has no gap');
    }
  }

  /** whether the relation holds between two exact values */
  private holds(l: Q.Rational, r: Q.Rational): boolean {
    const c = Q.compare(l, r);
    return { '==': c === 0, '<=': c <= 0, '<': c < 0, '>=': c >= 0, '>': c > 0 }[this.relation];
  }

  /** every assumption holds at the point (exact evaluation of the original expressions) */
  private assumptionsHold(exact: ReadonlyMap<string, Q.Rational>): boolean {
    return this.assumptionList.every((a) => {
      const [x, y] = a.sides.map((s) => evaluateSkeleton(s, this.atoms, exact)) as [Q.Rational, Q.Rational];
      const c = Q.compare(x, y);
      return { '<': c < 0, '<=': c <= 0, '>': c > 0, '>=': c >= 0, '==': c === 0, '!=': c !== 0 }[a.relation];
    });
  }

  /**
   * Tries the point: if the case's polynomials violate the relation there, the original
   * expressions must too (exact evaluation); records the refutation.
   */
  private tryPoint(point: Map<string, number>, violated: (exact: Map<string, Q.Rational>) => boolean, record: ProofCase): boolean {
    const exact = new Map([...point].map(([s, v]) => [s, Q.rational(v)]));
    if (!violated(exact)) return false;
    const left = evaluateSkeleton(this.lhs, this.atoms, exact);
    const right = evaluateSkeleton(this.rhs, this.atoms, exact);
    if (this.holds(left, right) || !this.assumptionsHold(exact)) {
      throw new Error(`internal: the case polynomials fail at ${[...point]} but the expressions do not (or an assumption fails there)`);
    }
    this.refutation = { point, lhs: left, rhs: right, failingCase: record };
    return true;
  }

  /** searches the region for a point where the case fails: random points, then a small box */
  private search(region: IntegerRegion, violated: (exact: Map<string, Q.Rational>) => boolean, record: ProofCase): boolean {
    const exactRegion = region.isOrderOnly();
    for (const spread of [3, 10, 100, 1000, 100000]) {
      for (let attempt = 0; attempt < 30; attempt++) {
        const point = region.samplePoint(this.stream, spread);
        if (!exactRegion && !region.contains(point)) continue;
        if (this.tryPoint(point, violated, record)) return true;
      }
    }
    if (exactRegion) return false;
    const symbols = region.symbols;
    const side = Math.max(1, Math.min(12, Math.floor(Math.pow(boxPoints, 1 / Math.max(1, symbols.length)))));
    const total = Math.pow(side, symbols.length);
    for (let index = 0; index < total; index++) {
      const point = new Map<string, number>();
      let rest = index;
      for (const s of symbols) {
        point.set(s, 1 + (rest % side));
        rest = Math.floor(rest / side);
      }
      if (region.contains(point) && this.tryPoint(point, violated, record)) return true;
    }
    return false;
  }

  private leaf(state: CaseState): void {
    if (this.stopped() || !this.step()) return;
    const equalities = state.region.equalities();
    const lhs = state.region.normalize(this.polynomial(this.lhs, state), equalities);
    const rhs = state.region.normalize(this.polynomial(this.rhs, state), equalities);
    const record: ProofCase = { conditions: state.conditions, choices: state.choices, lhs, rhs };
    let violated: (exact: Map<string, Q.Rational>) => boolean;
    let searchRegion = state.region;
    if (this.relation === '==') {
      if (lhs.equals(rhs)) {
        this.cases.push(record);
        return;
      }
      const difference = lhs.minus(rhs);
      violated = (exact) => !Q.isZero(difference.evaluate(exact));
    } else {
      const gap = this.gap(lhs, rhs);
      const certificate = state.region.nonnegative(gap);
      if (certificate) {
        this.cases.push({ ...record, certificate });
        return;
      }
      violated = (exact) => Q.compare(gap.evaluate(exact), Q.zero) < 0;
      // look where the gap is negative (integer coefficients: gap ≤ −1)
      const narrowed = state.region.clone();
      if (narrowed.addNonpositive(primitive(gap).plus(Polynomial.one))) searchRegion = narrowed;
    }
    if (this.focus) {
      // the exploration follows a point known to violate the relation: this case contains it
      if (this.tryPoint(this.focus, violated, record)) return;
      throw new Error(`internal: the case reached by ${[...this.focus]} does not fail there`);
    }
    if (this.quickSearch && !this.looked) {
      // the first case that does not hold: look among small points once before searching cases
      this.looked = true;
      this.restart = this.quickCounterexample(state.region.symbols);
      if (this.restart) return;
    }
    if (this.relation !== '==' && this.orderSplit(state, lhs, rhs)) return;
    if (this.search(searchRegion, violated, record)) return;
    if (state.region.isOrderOnly()) {
      // a thin region: split a difference bounded on both sides into its values
      const pair = state.region.boundedPair();
      if (pair) {
        this.splitValues(state, pair.x, pair.y, pair.lo, pair.hi);
        return;
      }
      if (this.relation === '==') throw new Error(`internal: no counterexample found in a case whose polynomials differ (${lhs.minus(rhs)})`);
    } else {
      // a variable of small range: split it into its values
      for (const x of [...lhs.symbols(), ...rhs.symbols(), ...state.region.symbols]) {
        const range = state.region.rangeOf(x);
        if (range === undefined) return; // no integer point: nothing to prove
        if (range.lo < range.hi && range.hi - range.lo <= pinnableRange) {
          this.splitValues(state, undefined, x, range.lo, range.hi);
          return;
        }
      }
    }
    if (this.relation === '==' && this.orderSplit(state, lhs, rhs)) return;
    const reason =
      this.relation === '=='
        ? `the sides reduce to ${lhs} and ${rhs}, but no point of the case where they differ was found (the case may have no integer point)`
        : `${this.gap(lhs, rhs)} >= 0 has no certificate here, and no point of the case where it fails was found`;
    this.open.push({ case: record, reason });
  }

  /**
   * No certificate: orders two symbols of the case's polynomials that the region leaves unordered
   * (x ≤ y, then y < x) and decides each half as a leaf — a² + b² ≥ 2ab has no certificate, but
   * with b = a + δ it reads δ² ≥ 0. Returns false when no split is left (or allowed).
   */
  private orderSplit(state: CaseState, lhs: Polynomial, rhs: Polynomial): boolean {
    if (state.orderSplits >= maximumOrderSplits) return false;
    const symbols = [...new Set([...lhs.symbols(), ...rhs.symbols()])];
    for (const x of symbols) {
      for (const y of symbols) {
        if (x >= y || state.region.decideNonpositive(Polynomial.symbol(x).minus(Polynomial.symbol(y))) !== undefined) continue;
        if (state.region.decideNonpositive(Polynomial.symbol(y).minus(Polynomial.symbol(x))) !== undefined) continue;
        for (const [lo, hi, strict] of [
          [x, y, false],
          [y, x, true],
        ] as const) {
          const child = this.child(state);
          child.orderSplits++;
          const constraint = { lo: Polynomial.symbol(lo), hi: Polynomial.symbol(hi), strict };
          if (!this.constrain(child.region, [constraint])) continue;
          child.conditions.push(condition(constraint.lo, strict ? '<' : '<=', constraint.hi));
          this.leaf(child);
          if (this.stopped()) return true;
        }
        return true;
      }
    }
    return false;
  }

  /** y − x = t for t = lo..hi (x undefined: y = t), each a leaf */
  private splitValues(state: CaseState, x: string | undefined, y: string | undefined, lo: number, hi: number): void {
    const px = x ? Polynomial.symbol(x) : Polynomial.zero;
    const py = y ? Polynomial.symbol(y) : Polynomial.zero;
    for (let t = lo; t <= hi; t++) {
      const child = this.child(state);
      const target = px.plus(Polynomial.constant(t));
      if (!this.constrain(child.region, [{ lo: py, hi: target, strict: false }, { lo: target, hi: py, strict: false }])) continue;
      child.conditions.push(condition(py, '==', target));
      this.leaf(child);
      if (this.stopped()) return;
    }
  }
}

/**
 * Decides E₁ ⋈ E₂ over positive integers under the assumptions: proven, refuted (a point checked
 * by exact evaluation) or unknown (with the reason). Throws InputError for bad input.
 */
export function decideIdentity(lhs: Expr, rhs: Expr, options: IdentityOptions = {}): IdentityResult {
  const assumptionExprs = options.assumptions ?? [];
  const relation = options.relation ?? '==';
  const decider = new Decider(lhs, rhs, assumptionExprs, options.seed ?? 1, options.maxCases ?? 50_000, relation);
  const pending = decider.assumptions();
  const symbols = [...new Set([lhs, rhs, ...assumptionExprs].flatMap((e) => symbolsOf(e)))].sort(symbolOrder);
  const state: CaseState = { region: IntegerRegion.positive(symbols), resolved: new Map(), conditions: [], choices: [], pending, orderSplits: 0 };
  decider.quickSearch = options.quickSearch !== false;
  decider.explore(state);
  if (decider.restart) {
    // a small violating point was found: explore again, following it to its case
    decider.focus = decider.restart;
    decider.restart = undefined;
    decider.cases.length = 0;
    decider.open.length = 0;
    const fresh: CaseState = { region: IntegerRegion.positive(symbols), resolved: new Map(), conditions: [], choices: [], pending: [...pending], orderSplits: 0 };
    decider.explore(fresh);
    if (!decider.refutation && !decider.capped) throw new Error(`internal: the violating point ${[...decider.focus]} lies in no case`);
  }
  const assumptions = pending.map((a) => a.text);
  const base = { relation, lhs, rhs, symbols, assumptions };
  if (decider.refutation) {
    const { point, lhs: l, rhs: r, failingCase } = decider.refutation;
    return {
      verdict: 'refuted',
      ...base,
      point: Object.fromEntries(symbols.map((s) => [s, point.get(s)!])),
      lhsValue: Q.toString(l),
      rhsValue: Q.toString(r),
      failingCase,
    };
  }
  if (decider.capped || decider.open.length > 0) {
    const reason = decider.capped ?? `${decider.open.length} case${decider.open.length === 1 ? '' : 's'} neither proven nor refuted: ${decider.open[0]!.reason}`;
    return { verdict: 'unknown', ...base, reason, cases: decider.cases, open: decider.open };
  }
  if (decider.cases.length === 0) {
    throw new InputError(`the assumptions (${assumptions.join(', ')}) leave no positive-integer point; nothing to prove`);
  }
  return { verdict: 'proven', ...base, cases: decider.cases };
}
