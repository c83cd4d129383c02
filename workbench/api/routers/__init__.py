"""One router per resource: predictions, anomalies, politicians, health."""
