"""The whoosh schema of a passage index.

Analysis happens before whoosh sees the text (segmentation needs pyvi, which must stay off the
query path), so every searchable field holds pre-analysed, space-separated terms and uses
whoosh's trivial space tokenizer: nothing of vnsearch is pickled into the index.
"""
from __future__ import annotations

def build_schema():
    from whoosh.analysis import SpaceSeparatedTokenizer
    from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema

    terms = SpaceSeparatedTokenizer()
    return Schema(
        doc_id=ID(stored=True),
        source=ID(),  # the file a passage came from: incremental updates delete by it (path shows it)
        title=STORED(),
        path=STORED(),
        text=STORED(),
        start=STORED(),
        end=STORED(),
        line=STORED(),
        page=STORED(),  # PDF page the passage starts on
        date=ID(stored=True),  # the document's date (ISO day): its heading's, or a web page's
        doc_number=ID(stored=True),  # the document's own number, as refs.py writes ids
        doc_type=ID(stored=True),  # its own type code (CT, QĐ, NĐ, ...)
        doc_issuer=KEYWORD(stored=True, lowercase=False, commas=False),  # its issuer's codes
        seq=STORED(),  # passage number within its document
        folded=TEXT(analyzer=terms, phrase=True),  # syllables without accents
        exact=TEXT(analyzer=terms, phrase=False),  # syllables with canonical accents
        bigrams=TEXT(analyzer=terms, phrase=False),  # adjacent folded syllable pairs
        words=TEXT(analyzer=terms, phrase=False),  # pyvi multi-syllable words, folded
        title_terms=TEXT(analyzer=terms, phrase=False),  # folded title syllables and bigrams
        wordforms=KEYWORD(lowercase=False, commas=False),  # written forms of words, for the lexicon
        abbrevs=KEYWORD(lowercase=False, commas=False),  # "ntm=nong_thon_moi" defined in the passage
        refs=KEYWORD(stored=True, lowercase=False, commas=False),
        topics=KEYWORD(stored=True, lowercase=False, commas=False),
        cites=STORED(),  # [(ref id, start, end, date, subject)], spans within the passage text
    )
