"""The evaluation harness: gold questions scored for retrieval and answers, with ablations and a report."""
