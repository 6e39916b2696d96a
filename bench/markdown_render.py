"""How long a description takes to render: Markdown bombs against an ordinary description.

    .venv/bin/python bench/markdown_render.py [--repeat 5]

Times ``render_markdown`` (markdown-it-py CommonMark, then nh3) on the three bombs of issue 10,
each at the 20,000-character cap, and on an ordinary 2 KB description (headings, lists, links,
emphasis), the reference, in the same run; median of ``--repeat``. Rendering happens once, when
an actor is saved, never on a page view. Writes its section into BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.benchmarks_md import update_benchmarks  # noqa: E402
from geo_civic.actors.markdown_text import render_markdown  # noqa: E402

ORDINARY = """### Le jardin partagé de la Plaine

Ouvert à **tous les habitants** du quartier, le jardin accueille petits et grands autour du
compost, des semis et des récoltes partagées. Rejoignez-nous pour un *café-jardin* le samedi.

- lundi et jeudi : 16 h – 18 h, arrosage et entretien ;
- samedi : 9 h – 12 h, atelier du mois (greffes, boutures, paillage) ;
- tous les premiers dimanches : repas partagé, chacun apporte un plat.

> « Un jardin, c'est un lieu où l'on apprend à attendre. »

Plus d'informations sur [notre site](https://jardin.example.org/plaine "Jardin de la Plaine")
ou par courriel à <mailto:contact@jardin.example.org>. Les outils sont prêtés : pensez à les
ranger dans l'abri après usage. Les enfants restent sous la garde de leurs parents.

1. Inscrivez-vous à l'accueil ;
2. choisissez une parcelle collective ou individuelle ;
3. participez à au moins une demi-journée de chantier par mois.

Nos partenaires : la commune, l'association des parents d'élèves, la médiathèque et le
`repair café` du mardi soir. Merci à eux ! Le jardin est labellisé « jardin nourricier » depuis
2023 et reçoit les classes de l'école voisine chaque printemps pour des ateliers de plantation.

### Venir au jardin

Le jardin se trouve **derrière la médiathèque**, à cinq minutes à pied de l'arrêt de bus
« Plaine centre » (lignes 2 et 7). Un parking à vélos est installé devant l'entrée ; les
personnes à mobilité réduite accèdent aux bacs surélevés par l'allée principale, goudronnée.
En cas de pluie, les ateliers ont lieu sous le *faré* ou sont reportés : consultez l'agenda.

- eau de pluie récupérée dans deux cuves de 1 000 litres ;
- composteur collectif ouvert aux voisins (déchets de cuisine, pas de viande) ;
- grainothèque : prenez des graines, rapportez-en à la saison suivante ;
- bibliothèque de plein air : livres sur le jardinage au naturel, à lire sur place.
"""

CASES = {
    "ordinary 2 KB description (reference)": ORDINARY,
    "`'[' * 20000`": "[" * 20000,
    "`'[a](' * 5000`": "[a](" * 5000,
    "`'![' * 10000`": "![" * 10000,
}


def median_seconds(text: str, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        render_markdown(text)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def section(results: dict[str, float], repeat: int) -> str:
    reference = results[next(iter(CASES))]
    lines = [
        "## Markdown descriptions (bench/markdown_render.py)",
        "",
        "`render_markdown` (markdown-it-py, CommonMark preset, raw HTML off; then nh3) on the "
        "Markdown bombs of issue 10, each 20,000 characters (the description cap), against an "
        f"ordinary {len(ORDINARY.encode()):,}-byte description in the same run; median of "
        f"{repeat}. A description is rendered once, when the actor is saved (form, import, "
        "revert), and stored in `description_html`: a page view renders nothing. Before this "
        "change (Python-Markdown on every page view) one view of the first bomb took 53 s.",
        "",
        "| input | time | ratio to reference |",
        "|---|---|---|",
    ]
    for name, seconds in results.items():
        lines.append(f"| {name} | {seconds * 1000:.1f} ms | {seconds / reference:.0f} |")
    lines += ["", f"Reproduce: `.venv/bin/python bench/markdown_render.py --repeat {repeat}`", ""]
    return "\n".join(lines)




def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    render_markdown(ORDINARY)  # warm up the parser
    results = {name: median_seconds(text, args.repeat) for name, text in CASES.items()}
    text = section(results, args.repeat)
    print(text)
    update_benchmarks(text)


if __name__ == "__main__":
    main()
