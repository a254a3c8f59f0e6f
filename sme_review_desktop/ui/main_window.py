"""The main window: rounds and their dossiers."""

from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..evaluation import evaluate_round
from ..rounds import list_rounds
from ..store import Store
from .app import APP_TITLE
from .dossier_model import DossierRow, DossierTableModel


class MainWindow(QMainWindow):
    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.setWindowTitle(APP_TITLE)
        self.resize(1280, 720)
        self.rounds = QComboBox()
        self.search = QLineEdit()
        self.search.setPlaceholderText("搜索平台名称、运营单位、信用代码…")
        self.model = DossierTableModel()
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setVisible(False)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("认定批次："))
        bar.addWidget(self.rounds, 1)
        bar.addWidget(self.search, 2)
        layout = QVBoxLayout()
        layout.addLayout(bar)
        layout.addWidget(self.table)
        central = QWidget()
        central.setLayout(layout)
        self.setCentralWidget(central)
        self.search.textChanged.connect(self.proxy.setFilterFixedString)
        self.rounds.currentIndexChanged.connect(self._load_round)
        for info in list_rounds(store):
            self.rounds.addItem(f"{info.name}（{info.dossier_count}份）", info.id)
        self.statusBar().showMessage(f"数据目录：{store.data_dir}")

    def _load_round(self) -> None:
        round_id = self.rounds.currentData()
        if round_id is None:
            self.model.set_rows([])
            return
        rows = []
        for ev in evaluate_round(self.store, int(round_id)):
            missing = ev.evaluation.missing_materials
            rows.append(
                DossierRow(
                    dossier_id=ev.dossier_id,
                    platform_name=ev.platform_name,
                    operator_name="",
                    county="",
                    platform_type="",
                    version=ev.version,
                    formal=f"缺{len(missing)}项材料" if missing else "材料齐全",
                    suggestion=ev.evaluation.overall.label,
                    uscc=ev.uscc,
                )
            )
        self.model.set_rows(rows)
        self.table.resizeColumnsToContents()
