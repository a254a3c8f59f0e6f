"""示范平台认定评审系统: review desktop for SME public service demonstration platforms."""

__version__ = "0.1.0"
