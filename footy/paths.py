"""Where the bundled data and the shipped model live."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
INTERNATIONAL_RESULTS = DATA / "international" / "results.csv"
SHOOTOUTS = DATA / "international" / "shootouts.csv"
FORMER_NAMES = DATA / "international" / "former_names.csv"
WORLDCUP = DATA / "worldcup"
MODELS = ROOT / "models"
SHIPPED_MODEL = MODELS / "footy-international.keras"
