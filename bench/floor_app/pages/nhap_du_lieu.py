from floor_page import render

render("nhap_du_lieu")
