a = { $count ->
    [one] one
   *[other] { $count } { -term }
}
-term = T
    .attr = x
b = { a.attr } { NUMBER($count, minimumFractionDigits: 222222222222222222222222222) }
