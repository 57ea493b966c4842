#!/usr/bin/env bash
# Regenerates every table and figure of docs/figures.md (about 5 minutes on 2 cores).
# Needs a build (npx tsc -p .) and, for the PNGs, pdflatex (texlive-latex-recommended,
# texlive-pictures) and pdftoppm (poppler-utils).
set -euo pipefail
cd "$(dirname "$0")/../.."
for figure in rank-vs-samples rank-vs-width rank-vs-depth rank-vs-parameters rank-vs-channels digits-rank-vs-samples; do
  rm -f "docs/figures/$figure.jsonl"
  node bin/hessian-rank plot --figure "$figure" --out "docs/figures/$figure" --png "docs/figures/$figure.png"
done
node bin/hessian-rank table --batch docs/figures/table-architectures.jsonl --seed 1 --format latex --standalone --out docs/figures/table.tex --png docs/figures/table.png
node bin/hessian-rank table --batch docs/figures/table-architectures.jsonl --seed 1 --format markdown --out docs/figures/table.md
node bin/hessian-rank table --batch docs/figures/table-architectures.jsonl --seed 1 --columns arch,p,H,HO,HF,rank/p --format latex --standalone --out docs/figures/table-column.tex --png docs/figures/table-column.png
node bin/hessian-rank plot --from docs/figures/rank-vs-parameters.jsonl --figure rank-vs-parameters --width 7 --legend below --svg docs/figures/rank-vs-parameters-column.svg --tex docs/figures/rank-vs-parameters-column.tex --png docs/figures/rank-vs-parameters-column.png
node bin/hessian-rank catalog --latex --standalone --out docs/figures/catalog.tex --png docs/figures/catalog.png
node bin/hessian-rank train --widths 64,16,10 --data digits --loss mse --lr 0.01 --steps 500 --track 50 --out docs/figures/training-digits-linear
node bin/hessian-rank train --widths 64,16,10 --act relu --data digits --loss mse --lr 0.003 --steps 300 --track 50 --out docs/figures/training-digits-relu
rm -f docs/figures/training-digits-*.onnx
