"""The round at a glance: the dossier list's rows, the statistics behind the 概览 and the
统计报告, and their charts. Reads every step's data; changes none."""
