global using Xunit;
global using Microsoft.AspNetCore.Hosting;
