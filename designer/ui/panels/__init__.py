"""The Design tab's side panels: the inspector of the selected block, the α/ρ scaling bar and the
formula panel."""
