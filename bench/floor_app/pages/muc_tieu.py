from floor_page import render

render("muc_tieu")
