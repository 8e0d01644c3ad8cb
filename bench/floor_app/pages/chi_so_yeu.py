from floor_page import render

render("chi_so_yeu")
