"""The OpenSearch engine: vnsearch's analysis and ranking on a cluster (``pip install 'vnsearch[opensearch]'``)."""
