import h3

from cityhall.places.h3cells import cell_for


def test_a_point_gets_the_h3_cell_at_the_configured_resolution(settings):
    settings.CITYHALL_H3_RESOLUTION = 9

    cell = cell_for(45.5017, -73.5673)

    assert cell == h3.latlng_to_cell(45.5017, -73.5673, 9)
    assert h3.get_resolution(cell) == 9


def test_the_resolution_is_read_at_each_call(settings):
    settings.CITYHALL_H3_RESOLUTION = 5
    coarse = cell_for(45.5017, -73.5673)
    settings.CITYHALL_H3_RESOLUTION = 12

    fine = cell_for(45.5017, -73.5673)

    assert (h3.get_resolution(coarse), h3.get_resolution(fine)) == (5, 12)
    assert h3.cell_to_parent(fine, 5) == coarse
