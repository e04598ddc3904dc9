"""Vietnamese word lists that ranking and matching rely on: function words and abbreviations.

Lists are folded (no accents) because both accented and unaccented queries are matched on
folded terms; keep them short and uncontroversial, since a stop word is only down-weighted.
"""
from __future__ import annotations

from .normalize import fold

# Function words: frequent, carry little meaning on their own. Down-weighted, never dropped.
STOP_WORDS = frozenset(
    fold(w)
    for w in """
    và của các là được những cho với trong trên tại thì mà này đó khi đã đang sẽ có không
    về theo từ để như một người nào gì hay hoặc nếu bị do vì nên cũng rất đến ra vào lại
    sau trước thế đây ấy nhưng còn chỉ mỗi mọi việc
    """.split()
)

# Common abbreviations in administrative and insurance text, folded, with their long forms.
# Reference parts such as CT/TW are deliberately absent: they belong to document numbers.
ABBREVIATIONS = {
    fold(k): fold(v)
    for k, v in {
        "BHXH": "bảo hiểm xã hội",
        "BHYT": "bảo hiểm y tế",
        "BHTN": "bảo hiểm thất nghiệp",
        "NTM": "nông thôn mới",
        "UBND": "ủy ban nhân dân",
        "HĐND": "hội đồng nhân dân",
        "TĐ": "thi đua",
        "MTTQ": "mặt trận tổ quốc",
        "TTHC": "thủ tục hành chính",
        "CNVC": "công nhân viên chức",
        "CBCCVC": "cán bộ công chức viên chức",
        "THCS": "trung học cơ sở",
        "THPT": "trung học phổ thông",
        "ATGT": "an toàn giao thông",
        "ANTT": "an ninh trật tự",
    }.items()
}
