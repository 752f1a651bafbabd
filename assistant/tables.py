"""Tables in the cleaned lines: pipe tables (`a | b | c`, with or without rules |---| or +-----+
and merged cells), and captured tables with one cell per line under a 序号 header; each row
with the number, label and text its clause is cited by.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

EMPTY_CELL = "\u00a0"  # a line of only no-break spaces: an empty cell of a captured table

SERIAL_HEADER = re.compile(r"^(?:序号|序號|编号|編號|No\.?)$", re.IGNORECASE)
TABLE_SEPARATOR_ROW = re.compile(r"^[\s|:\-—]+$")
TABLE_RULE = re.compile(r"^\s*\+[-=+ ]*[-=]\+?\s*$")   # +------+------+ drawn between the rows of a text table


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]
    grouped: bool = False  # leading cells were carried down from the row above (merged cells)

    @property
    def has_serial(self) -> bool:
        return bool(SERIAL_HEADER.match(self.header[0]))

    @property
    def label_column(self) -> int:
        return 1 if self.has_serial and len(self.header) > 1 else 0

    def row_number(self, index: int) -> str:
        cell = self.rows[index][0] if self.has_serial else ""
        return cell if cell.isdigit() else str(index + 1)

    def row_label(self, index: int) -> str:
        # With merged group cells the first column names the group, not the row.
        column = self.label_column + (1 if self.grouped else 0)
        row = self.rows[index]
        return row[min(column, len(row) - 1)]

    def row_text(self, index: int) -> str:
        row = self.rows[index]
        lead = row[self.label_column]
        rest = [(self.header[c], row[c]) for c in range(len(row))
                if c != self.label_column and not (self.has_serial and c == 0) and row[c]]
        if len(rest) == 1:
            body = rest[0][1]
        else:
            body = "；".join(f"{name} {value}" for name, value in rest)
        return f"{lead}：{body}" if lead and body else lead or body


def find_tables(lines: list[str]) -> list:
    items: list = []
    i = 0
    while i < len(lines):
        table, end = _pipe_table(lines, i)
        if table is None:
            table, end = _cell_table(lines, i)
        if table is not None:
            items.append(table)
            i = end
        else:
            items.append(lines[i])
            i += 1
    return items


def _pipe_table(lines: list[str], start: int) -> tuple[Table | None, int]:
    """A table of `a | b | c` rows, with or without rules drawn between them (|---|, +-----+).
    Where the header does not open with a bar, a row that does has its first cell merged with
    the row above (| 买卖合同 | 价款的万分之三 under 合同 | 借款合同 | …); a header narrower than
    its rows has its first cell merged over the leading columns (税目 over group and item).
    Rules alone (no cell text) end nothing and start nothing."""
    if lines[start].count("|") < 2:
        return None, start
    end = start
    while end < len(lines) and (lines[end].count("|") >= 2 or TABLE_RULE.match(lines[end])):
        end += 1
    while end > start and TABLE_RULE.match(lines[end - 1]):
        end -= 1
    kept = [line for line in lines[start:end] if not (TABLE_SEPARATOR_ROW.match(line) or TABLE_RULE.match(line))]
    if len(kept) < 2:
        return None, start
    bordered = kept[0].lstrip().startswith("|")
    header, body = _pipe_cells(kept[0]), [_pipe_cells(line, merged_first=not bordered) for line in kept[1:]]
    width = max(len(cells) for cells in body)
    # a header narrower than its rows has its first cell merged over the leading columns, and so
    # has a row narrower than the header (营业账簿 | 税率: a group with no items under it)
    body = [[cells[0]] * (width - len(header)) + cells if len(cells) < len(header) and cells[0] else cells
            for cells in body]
    header = [header[0]] * (width - len(header)) + header
    table = Table(header, [])
    for cells in body:
        cells = (cells + [""] * len(header))[:len(header)]
        if table.rows and not cells[table.label_column]:
            cells[table.label_column] = table.rows[-1][table.label_column]
            table.grouped = True
        table.rows.append(cells)
    return table, end


def _pipe_cells(line: str, merged_first: bool = False) -> list[str]:
    line = line.strip()
    cells = [cell.strip() for cell in line.strip("|").split("|")]
    return [""] + cells if merged_first and line.startswith("|") else cells


def _cell_table(lines: list[str], start: int) -> tuple[Table | None, int]:
    if not SERIAL_HEADER.match(lines[start]):
        return None, start
    header = [lines[start]]
    j = start + 1
    while j < len(lines) and lines[j] != "1" and len(header) < 12:
        if lines[j] == EMPTY_CELL or len(lines[j]) > 20:
            return None, start
        header.append(lines[j])
        j += 1
    if j >= len(lines) or len(header) < 2:
        return None, start
    table = Table(header, [])
    width = len(header) - 1
    number = 1
    while j < len(lines) and lines[j] == str(number):
        j += 1
        cells: list[str] = []
        while j < len(lines) and len(cells) < width and lines[j] != str(number + 1):
            cells.append("" if lines[j] == EMPTY_CELL else lines[j])
            j += 1
        if len(cells) < width and table.rows:
            # A shorter row left out its leading cells: they are merged with the row above.
            cells = table.rows[-1][1:1 + width - len(cells)] + cells
            table.grouped = True
        table.rows.append([str(number)] + (cells + [""] * width)[:width])
        number += 1
    return table, j
